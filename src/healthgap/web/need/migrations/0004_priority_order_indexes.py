# Indexes in the orders the priorities page and API list rows (docs/benchmarks.md, "Public endpoints").

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('need', '0003_priority_views'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='priority', name='need_prio_lead_share'),
        migrations.RemoveIndex(model_name='priority', name='need_prio_pub_share'),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['lead', 'share', 'headroom_lowercl', 'indicator', 'area'],
            name='need_prio_lead_score')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['public_lead', 'share', 'headroom_lowercl', 'indicator', 'area'],
            name='need_prio_pub_score')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['indicator', 'rank', 'area', 'group_rank'], name='need_prio_order')),
        migrations.AddIndex(model_name='priority', index=models.Index(
            fields=['indicator', 'public_rank', 'area', 'public_group_rank'],
            name='need_prio_pub_order')),
    ]
