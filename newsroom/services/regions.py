"""Loading the region tree (province → prefecture → county) from the project's CSV."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from newsroom import content
from newsroom.models import Region

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
COLUMNS = ["slug", "name", "short_name", "level", "parent"]
LEVEL_ORDER = {Region.Level.PROVINCE: 0, Region.Level.PREFECTURE: 1, Region.Level.COUNTY: 2}


@dataclass
class RegionLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_regions(path=REGIONS_CSV):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValidationError(f"{path}: 表头应为 {','.join(COLUMNS)}，实为 {','.join(reader.fieldnames or [])}")
        rows = []
        for line, row in enumerate(reader, start=2):
            if row["level"] not in LEVEL_ORDER:
                raise ValidationError(f"{path} 第{line}行 level：“{row['level']}”不是 province、prefecture 或 county")
            rows.append((line, row))
    return rows


@transaction.atomic
def load_regions(path=REGIONS_CSV):
    """Create or update every region in the file; running it again changes nothing."""
    rows = read_regions(path)
    existing = {region.slug: region for region in Region.objects.all()}
    result = RegionLoad()
    # Parents before children, whatever the file's order.
    for position, (line, row) in sorted(enumerate(rows), key=lambda item: (LEVEL_ORDER[item[1][1]["level"]], item[0])):
        parent = None
        if row["parent"]:
            parent = existing.get(row["parent"])
            if parent is None:
                raise ValidationError(f"{path} 第{line}行 parent：没有标识为“{row['parent']}”的上级地区")
        values = {
            "name": row["name"],
            "short_name": row["short_name"],
            "level": row["level"],
            "parent": parent,
            "position": position,
        }
        region = existing.get(row["slug"])
        if region is None:
            region = Region(slug=row["slug"], **values)
            region.full_clean()
            region.save()
            existing[region.slug] = region
            result.created += 1
        elif any(getattr(region, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(region, field, value)
            region.full_clean()
            region.save()
            result.updated += 1
        else:
            result.unchanged += 1
    if result.created or result.updated:
        # Region names and the tree show on readers' pages and in their drop-downs.
        content.changed()
    return result
