"""The names a batch gives (places, datelines, people) matched against the database."""

import re

from newsroom.models import Bureau, Correspondent, Region

TITLES = {title.value for title in Correspondent.Title}


class Directory:
    """Regions, bureaus and people by the names a page or a table gives them, loaded once.

    Bureaus and people it has to make wait in ``new_bureaus`` and ``new_people`` until
    the batch is written; names it cannot resolve go to ``problems``.
    """

    def __init__(self, problems):
        self.problems = problems
        self.new_bureaus = {}  # region pk -> Bureau to create
        self.new_people = {}  # ("new", name) -> Correspondent to create
        self.regions = list(Region.objects.select_related("parent"))
        self.region_by_key = {}
        self.regions_by_short = {}
        for region in self.regions:
            self.region_by_key[region.slug] = region
            self.region_by_key[region.name] = region
            self.regions_by_short.setdefault(region.short_name, []).append(region)
        self.bureaus = list(Bureau.objects.select_related("region"))
        self.bureau_by_region = {bureau.region_id: bureau for bureau in self.bureaus}
        self.people_by_name = {}
        for person in Correspondent.objects.select_related("bureau"):
            self.people_by_name.setdefault(person.name, []).append(person)
        # By length, so that 临夏回族自治州 is found before 临夏.
        self.region_names = sorted(
            ((region.name, region) for region in self.regions if region.level != Region.Level.PROVINCE),
            key=lambda pair: -len(pair[0]),
        )

    def region(self, key):
        region = self.region_by_key.get(key)
        if region is None:
            matches = self.regions_by_short.get(key, [])
            region = matches[0] if len(matches) == 1 else None
        return region

    def bureau(self, key, at, field_name):
        """A bureau by slug, region name, place (张掖) or dateline (本报张掖讯)."""
        place = re.sub(r"^本报(.*)讯$", r"\1", key)
        region = self.region_by_key.get(place)
        if region is not None:
            candidates = [region]
        else:
            candidates = self.regions_by_short.get(place, [])
            with_bureau = [region for region in candidates if region.pk in self.bureau_by_region]
            if with_bureau:
                candidates = with_bureau
        if len(candidates) > 1:
            names = "、".join(region.name for region in candidates)
            self.problems.error(at, field_name, f"“{key}”可指{names}，请用记者站标识（如 {candidates[0].slug}）")
            return None
        if not candidates:
            self.problems.error(at, field_name, f"没有“{key}”这个记者站或地区")
            return None
        region = candidates[0]
        bureau = self.bureau_by_region.get(region.pk) or self.new_bureaus.get(region.pk)
        if bureau is None:
            bureau = Bureau(region=region)
            self.new_bureaus[region.pk] = bureau
            self.problems.warn(at, field_name, f"新建记者站“{bureau.dateline}”")
        return bureau

    def region_in_text(self, *texts):
        """The region a story with no dateline is about, from its headline: 西和县政协… → 西和县."""
        for text in texts:
            for name, region in self.region_names:
                if text and name in text:
                    return region
        return None

    def region_in_caption(self, text):
        """The one place a photo report's caption names: 西和县; 安定区 when it names 定西市 and 安定区 too.

        None when it names no place, or places apart (甘谷县 and 秦安县): which one the story is about is a guess.
        """
        found = []
        for name, region in self.region_names:  # longest first; a name found is blanked out of the text
            if name in text:
                found.append(region)
                text = text.replace(name, "\0")
        parents = {region.parent_id for region in found}
        places = [region for region in found if region.pk not in parents]
        return places[0] if len(places) == 1 else None

    def person(self, name, title, bureau, at):
        """An existing correspondent by name (one of the story's bureau first), or a new one."""
        known = self.people_by_name.get(name, [])
        if known:
            same_bureau = [person for person in known if bureau is not None and person.bureau_id == bureau.pk]
            if len(known) > 1 and not same_bureau:
                self.problems.warn(at, "credits", f"有{len(known)}位“{name}”，已取第一位，请核对")
            return (same_bureau or known)[0]
        key = ("new", name)
        person = self.new_people.get(key)
        if person is None:
            person = Correspondent(
                name=name,
                title=title_choice(title),
                bureau=bureau if bureau is not None and bureau.pk else None,
            )
            self.new_people[key] = person
            self.problems.warn(at, "credits", f"新建通讯员“{name}”")
        return person


def title_choice(printed):
    printed = (printed or "").removeprefix("本报")
    if printed in TITLES:
        return printed
    return Correspondent.Title.REPORTER if printed.endswith("记者") else Correspondent.Title.CORRESPONDENT
