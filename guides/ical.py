"""Webinars as iCalendar (RFC 5545), for readers' calendar apps.

A webinar with an announced time starts at that time in the zone it was announced in
(DTSTART with its TZID, and the VTIMEZONE that defines it); a webinar announced for a
day only is an all-day event. UIDs depend on the slug only, so a re-download updates
the event instead of duplicating it.

The VTIMEZONE lists each change of offset around the webinars as an observance of its
own, with one DTSTART and no RDATE or RRULE: the simplest form, which every parser reads
alike. (A list of RDATEs, as icalendar writes by default, is read by vobject as if the
summer time of 2022 were winter time: ICLR 2022's 15:00 in Amsterdam became 14:00 UTC.)
"""

import datetime as dt
import zoneinfo
from urllib.parse import urlencode

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

PRODID = "-//Conference guides//Webinars//EN"


def webinar_calendar(webinars, absolute_url, name="Conference guides webinars"):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    webinars = list(webinars)
    starts = {}  # zone name: start times of its webinars
    for webinar in webinars:
        if webinar.starts_at:
            starts.setdefault(webinar.time_zone, []).append(webinar.starts_at)
    for name, times in sorted(starts.items()):  # defined before they are used
        calendar.add_component(vtimezone(name, min(times), max(times)))
    for webinar in webinars:
        calendar.add_component(webinar_event(webinar, absolute_url, stamp))
    return calendar.to_ical()


def vtimezone(name, first, last):
    """The VTIMEZONE of zone `name` for events from `first` to `last` (aware datetimes):
    the offset in force a year before, then every change until a year after."""
    zone = zoneinfo.ZoneInfo(name)
    start = (first - dt.timedelta(days=366)).astimezone(dt.UTC)
    end = last + dt.timedelta(days=366)
    component = Timezone()
    component.add("tzid", name)
    local = start.astimezone(zone)
    component.add_component(observance(local, local.utcoffset(), local))
    for instant in offset_changes(zone, start, end):
        before = (instant - dt.timedelta(seconds=1)).astimezone(zone).utcoffset()
        component.add_component(observance(instant.astimezone(zone), before, instant + before))
    return component


def observance(local, offset_from, onset):
    """A STANDARD or DAYLIGHT observance: `local` in the new offset, starting at `onset`
    (a time read in the offset before, as RFC 5545 counts the onset)."""
    kind = TimezoneDaylight if local.dst() else TimezoneStandard
    part = kind()
    part.add("dtstart", onset.replace(tzinfo=None, microsecond=0))
    part.add("tzname", local.tzname())
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", local.utcoffset())
    return part


def offset_changes(zone, start, end):
    """The UTC instants, to the second, at which `zone`'s offset changes in [start, end)."""
    changes = []
    offset = start.astimezone(zone).utcoffset()
    day = start
    while day < end:
        following = day + dt.timedelta(days=1)
        if following.astimezone(zone).utcoffset() != offset:
            low, high = day, following  # the change is in (low, high]
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            changes.append(high)
            offset = high.astimezone(zone).utcoffset()
        day = following
    return changes


def webinar_event(webinar, absolute_url, stamp):
    event = Event()
    event.add("uid", f"webinar-{webinar.slug}@conference-guides")
    event.add("dtstamp", stamp)
    event.add("summary", webinar.title)
    if webinar.starts_at:
        start = webinar.local_start
        event.add("dtstart", start)
        if webinar.duration:
            event.add("dtend", start + webinar.duration)
    else:
        event.add("dtstart", webinar.starts_on)
        event.add("dtend", webinar.starts_on + dt.timedelta(days=1))
    url = absolute_url(webinar.get_absolute_url())
    event.add("url", url)
    description = webinar.description or webinar.title
    event.add("description", f"{description}\n\n{url}")
    if webinar.registration_url:
        event.add("location", webinar.registration_url)
    return event


def google_calendar_link(webinar, absolute_url):
    """An "add to Google Calendar" link; other apps take the .ics file."""
    if webinar.starts_at:
        start = webinar.starts_at.astimezone(dt.UTC)
        end = start + (webinar.duration or dt.timedelta(0))
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    else:
        dates = f"{webinar.starts_on:%Y%m%d}/{webinar.starts_on + dt.timedelta(days=1):%Y%m%d}"
    query = {
        "action": "TEMPLATE",
        "text": webinar.title,
        "dates": dates,
        "details": absolute_url(webinar.get_absolute_url()),
    }
    if webinar.time_zone:
        query["ctz"] = webinar.time_zone
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
