vcl 4.1;
# Varnish in front of the site (Debian: apt-get install varnish varnish-modules).
#
# The site decides what is cached: public pages say `public, s-maxage=…` and name their
# cache tags in `Surrogate-Key`; everything else says `private, no-store`, which
# Varnish's built-in rules never store. A request with a session (an editor) always
# goes to the site. The site purges by tag after each change: set
# DJANGO_EDGE_PURGE_URLS=http://127.0.0.1:6081/ (this server's address) and it sends
# `PURGE /` with an `xkey-purge: <tags>` header, which the `purgers` ACL must allow.
#
#   varnishd -a :6081 -f /path/to/default.vcl -s malloc,256m
#
# Change the backend below to where gunicorn listens.

import std;
import xkey;

backend site {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;  # healthy from the start: no errors while the first probes run
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);  # the one address requested
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);  # an editor: fresh pages, never stored
    }
    # Other cookies (a CSRF token, analytics) change nothing a reader is shown.
    unset req.http.Cookie;
    # An expired copy is served while it is fetched again for a minute (the site's
    # `stale-while-revalidate`), for a day while the site is down (`stale-if-error`).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The site's tags become xkey keys (xkey reads its own header).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    set beresp.grace = 1d;
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);  # keep the stale copy rather than store the error
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
