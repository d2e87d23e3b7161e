"""Background jobs of the public site (huey; see config.settings HUEY)."""

import logging

from huey.contrib.djhuey import task

from . import edge

logger = logging.getLogger("website.edge")


@task()
def purge_edge(url, tags, attempt=1):
    """Purge `tags` at the edge endpoint `url` (website.edge); when it fails, again
    after each of PURGE_RETRY_DELAYS, then give up: its copies expire by s-maxage."""
    if edge.purge(url, tags, attempt):
        return
    if attempt < edge.PURGE_ATTEMPTS:
        delay = edge.PURGE_RETRY_DELAYS[attempt - 1]
        purge_edge.schedule((url, tags, attempt + 1), delay=delay)
    else:
        logger.error(
            "Gave up purging %s at %s: its cached pages expire on their own", " ".join(tags), url
        )
