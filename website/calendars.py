"""Webinars as iCalendar (RFC 5545), for readers' calendar apps.

A webinar with an announced time starts at that time in the zone it was announced in
(DTSTART with its TZID, and the VTIMEZONE that defines it); a webinar announced for a
day only is an all-day event. UIDs depend on the slug only, so a re-download updates
the event instead of duplicating it.
"""

import datetime as dt
from urllib.parse import urlencode

from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Conference guides//Webinars//EN"


def webinar_calendar(webinars, absolute_url, name="Conference guides webinars"):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    for webinar in webinars:
        calendar.add_component(webinar_event(webinar, absolute_url, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


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
