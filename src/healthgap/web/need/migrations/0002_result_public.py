# Result rows carry the public policy's published counts and values (docs/disclosure.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('need', '0001_initial'),
    ]

    operations = [
        migrations.AddField(model_name='result', name=name,
                            field=models.FloatField(blank=True, null=True))
        for name in ('public_numerator', 'public_denominator', 'public_value',
                     'public_lowercl', 'public_uppercl')
    ] + [
        migrations.AddField(model_name='result', name='suppressed',
                            field=models.BooleanField(default=False)),
    ]
