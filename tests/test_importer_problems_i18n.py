"""Issue 25: the problems the MTurk and ActivityWatch importers and the bundle's zip checks
find are said in the logbook's language, whole sentences with the place kept in front
(``file:line: column: message``), and stay English in ``--json``."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from _english import english_left
from taskerlog import i18n, importers
from taskerlog.bundle.reader import read_bundle
from taskerlog.model import Logbook

LANGUAGES = ["es", "pt_BR", "fr", "sw"]
SETTINGS = Logbook(home_currency="KES", timezone="Africa/Nairobi")
#: the file's own words and names a worker typed, never translated
DATA = ["Akkroo", "'lots'", "'hits'", "'work.csv'", "'../work.csv'", "aw-watcher-afk"]
HIT = ('{"hit_id": "3H%d", "requester_name": %s, "reward": %s, "state": "Approved", '
       '"accepted": "2026-03-01T10:00:00Z", "submitted": "2026-03-01T10:05:00Z"}')
#: one bad cell per HIT: a reward that is not an amount, a requester that is an object,
#: a reward that is a list, a time that is not a time
MTURK = '{"hits": [%s]}' % ", ".join([
    HIT % (1, '"Akkroo"', '"lots"'), HIT % (2, '{"x": 1}', "0.1"), HIT % (3, '"Akkroo"', "[1]"),
    HIT.replace('"2026-03-01T10:00:00Z"', "true") % (4, '"Akkroo"', "0.1")])


def _said(problems, parts):
    """The problems' words without their place (the first ``parts`` pieces before ': ')."""
    return "\n".join(p.split(": ", parts)[-1] for p in problems)


def _problems(language, read):
    with i18n.using(language):
        return [str(p) for p in read()]


def _mturk(tmp_path, text=MTURK):
    path = tmp_path / "mturk.json"
    path.write_text(text, encoding="utf-8")
    return lambda: importers.read_history("mturk", path, SETTINGS, today=dt.date(2026, 12, 7)).problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_mturk_file_with_bad_cells_is_worded_in_the_language(tmp_path, language):
    read = _mturk(tmp_path)
    english, other = _problems("en", read), _problems(language, read)
    assert english == [
        "mturk.json:1: reward: HIT 1: 'lots' is not a reward in dollars",
        "mturk.json:2: requester_name: HIT 2: the requester's name is an object, not text",
        "mturk.json:3: reward: HIT 3: the reward is a list, not an amount in dollars",
        "mturk.json:4: accepted: HIT 4: the time is true/false, not ISO 8601 or epoch milliseconds",
    ]
    assert len(other) == len(english)
    for e, o in zip(english, other):
        assert o.split(": ")[:2] == e.split(": ")[:2], o  # the place keeps its shape
        assert o != e
    assert "'lots'" in other[0]
    assert english_left(_said(english, 2), _said(other, 2), language, allow=DATA) == [], other


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_mturk_file_that_is_not_a_list_of_hits_is_worded_in_the_language(tmp_path, language):
    read = _mturk(tmp_path, '{"hits": 5}')
    english, other = _problems("en", read), _problems(language, read)
    assert english == ["mturk.json: 'hits' is the number 5, not a list of HITs; export the backup again from the "
                       "HIT Tracker"] or "'hits' is the number 5, not a list of HITs" in english[0]
    assert english_left(_said(english, 2), _said(other, 2), language, allow=DATA + ["HIT Tracker"]) == [], other


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_activitywatch_event_with_a_bad_cell_is_worded_in_the_language(tmp_path, language):
    path = tmp_path / "aw.json"
    path.write_text('{"buckets": {"aw-watcher-afk_h": {"type": "afkstatus", "hostname": "h", "events": ['
                    '{"timestamp": "2026-03-01T10:00:00Z", "duration": "x", "data": {"status": "not-afk"}}]}}}',
                    encoding="utf-8")

    def read():
        return importers.read_history("activitywatch", path, SETTINGS, today=dt.date(2026, 12, 7)).problems
    english, other = _problems("en", read), _problems(language, read)
    assert english == ["aw.json:1: duration: bucket aw-watcher-afk, event 1: text is not a duration in seconds"]
    assert other[0].startswith("aw.json:1: duration: ")
    assert english_left(_said(english, 2), _said(other, 2), language, allow=DATA) == [], other


def _zip(path, members, *, password=False):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    if password:  # mark the member encrypted, as `zip -P` does (bit 0 of its flags)
        raw = bytearray(path.read_bytes())
        for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            raw[raw.index(signature) + at] |= 0x1
        path.write_bytes(bytes(raw))
    return path


WORK = b"platform,kind,start,end\nOutlier,tasking,2026-03-02T09:00Z,2026-03-02T10:00Z\n"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("members,password,says", [
    ([("work.csv", WORK)], True, "b.zip: member 'work.csv' is protected by a password; make the zip again without "
                                 "a password"),
    ([("../work.csv", WORK)], False, "b.zip: member '../work.csv' points outside the bundle (absolute path or "
                                     "'..'); refusing to read this zip"),
    ([("work.csv", b"platform,kind,start,end\n" + b"0" * (8 * 1024 * 1024))], False, "a zip bomb"),
    ([("work.csv", WORK + b"Outlier,tasking,2026-03-02T11:00Z,2026-03-02T12:00Z,9,50\n")], False,
     "work.csv:3: has 6 cells but the header names 4 columns; the extra cell '9' has no column"),
])
def test_a_refused_zip_is_worded_in_the_language(tmp_path, language, members, password, says):
    z = _zip(tmp_path / "b.zip", members, password=password)

    def read():
        return read_bundle(z)[1]
    english, other = _problems("en", read), _problems(language, read)
    assert len(english) == 1 and (english[0].startswith(says) or says in english[0]), english
    assert len(other) == 1 and other[0] != english[0]
    place = english[0].split(": ")[0]
    assert other[0].startswith(place + ": "), other  # the place keeps its shape
    assert english_left(_said(english, 1), _said(other, 1), language, allow=DATA) == [], other
    with i18n.using(language):
        assert read()[0].to_dict()["message"] == english[0].split(": ", 1)[-1]  # --json: English


#: a campaign file an organizer wrote with four mistakes (months, an id, a category twice, publish_k below k)
BAD_CAMPAIGN = ('{"campaign_id": "X", "name": "Data workers 2026", "months": ["2026-13"], "platforms": ["Outlier"], '
                '"categories": ["rating", "Rating"], "k": 5, "publish_k": 4}')


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_campaign_file_with_mistakes_is_worded_in_the_language(tmp_path, language):
    from taskerlog.pool.campaign import CampaignError, load_campaign

    path = tmp_path / "c.json"
    path.write_text(BAD_CAMPAIGN, encoding="utf-8")

    def said(lang):
        with i18n.using(lang), pytest.raises(CampaignError) as exc:
            load_campaign(path)
        return str(exc.value).splitlines()
    english, other = said("en"), said(language)
    assert english == [f"{path}: campaign_id: 'X' is not a campaign id; use 3-64 lower-case letters, digits, '.', '_' "
                       "or '-'",
                       f"{path}: months: '2026-13' is not a month; write it as YYYY-MM, e.g. 2026-03",
                       f"{path}: categories: listed twice: Rating, rating"]
    assert [o.split(": ")[:2] for o in other] == [e.split(": ")[:2] for e in english]  # file: field: kept
    assert english_left(_said(english, 2), _said(other, 2), language, allow=["'X'", "Rating", "rating"]) == [], other


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_platform_option_without_a_mapping_is_worded_in_the_language(language):
    from taskerlog.pool.contribution import ContributionError, parse_platform_option

    def said(lang):
        with i18n.using(lang), pytest.raises(ContributionError) as exc:
            parse_platform_option("Outlier")
        return str(exc.value)
    english, other = said("en"), said(language)
    assert english == "'Outlier': write it as YOUR_PLATFORM=CAMPAIGN_PLATFORM, e.g. \"Outlier AI=Outlier\""
    assert other.startswith("'Outlier'") and other.endswith('"Outlier AI=Outlier"') and other != english
    assert english_left(english, other, language, allow=["Outlier AI", "'Outlier'"]) == [], other
