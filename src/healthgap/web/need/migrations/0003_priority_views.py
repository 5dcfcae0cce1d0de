# Priorities: nested groups, units, shares and the public (published-only) ranking
# (docs/priorities.md, "In the app").

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('need', '0002_result_public'),
    ]

    operations = [
        migrations.AddField(model_name='priority', name='group',
                            field=models.CharField(blank=True, max_length=200)),
        migrations.AddField(model_name='priority', name='group_rank',
                            field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name='priority', name='lead',
                            field=models.BooleanField(default=True)),
        migrations.AddField(model_name='priority', name='public_group_rank',
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='priority', name='public_lead',
                            field=models.BooleanField(default=False)),
        migrations.AddField(model_name='priority', name='public_rank',
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='priority', name='published',
                            field=models.BooleanField(default=True)),
        migrations.AddField(model_name='priority', name='share',
                            field=models.FloatField(blank=True, null=True)),
        migrations.AddField(model_name='priority', name='unit',
                            field=models.CharField(blank=True, max_length=16)),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['indicator', 'lead', 'rank'], name='need_prio_lead_rank')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['indicator', 'public_lead', 'public_rank'], name='need_prio_pub_rank')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['lead', 'share'], name='need_prio_lead_share')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['public_lead', 'share'], name='need_prio_pub_share')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['area', 'indicator'], name='need_prio_area_ind')),
    ]
