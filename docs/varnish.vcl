vcl 4.1;
#
# Varnish (7.1 or later) in front of a Wagtail site running wagtail-petition.
#
# Caches what anonymous visitors share (pages that send no cookie, the live
# count, static files) and passes everything personal to Django untouched.
# Django stays the judge of what may be cached: it says so with Cache-Control,
# and anything marked private/no-store/no-cache or setting a cookie is never
# stored.
#
# Wagtail purges pages through wagtail.contrib.frontend_cache's HTTPBackend:
#
#     WAGTAILFRONTENDCACHE = {
#         "varnish": {
#             "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
#             "LOCATION": "http://127.0.0.1:6081",
#         },
#     }
#
# The tests (tests/varnish.py) run this file as it is, after rewriting the
# backend's host "127.0.0.1" and port "8000" below textually: keep them on one
# line each, as written.

import std;
import cookie;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    # Exports of many signatures in the admin take a while to start.
    .first_byte_timeout = 120s;
}

# Who may purge: the Wagtail processes on this machine. Add the web machines'
# addresses when Varnish runs elsewhere.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # The builtin's Host checks (lower case, 400 without one in HTTP/1.1):
    # this vcl_recv returns before the builtin's would run.
    call vcl_req_host;

    # Campaign tags change nothing on the page: without them every shared link
    # lands on the same copy. "source" is the petition's referral code and
    # stays.
    if (req.url ~ "[?&](utm_|fbclid|gclid)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[^&=]*|fbclid|gclid)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);

    # After the URL is normalised, so the purge hits the copy lookups find.
    # return (purge) drops every Vary variant (each Accept-Language) at once.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Wagtail purges a page by its path; copies under a query string
        # (?source=newsletter) go too, by a ban on the path.
        if (req.url ~ "^[/A-Za-z0-9._~%-]*$") {
            ban("obj.http.X-Host == " + req.http.host + " && obj.http.X-Url ~ ^" + req.url + "(\?|$)");
        }
        return (purge);
    }

    # Writes (signing, admin actions) and anything exotic go to Django as they
    # came, with all their cookies (the messages framework uses one).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }

    # Cookies Django reads make the answer someone's own: the session, the CSRF
    # token, a signer's state (wagtail_petition), a pending message, a chosen
    # language. Keep in step with SESSION_COOKIE_NAME, CSRF_COOKIE_NAME and
    # LANGUAGE_COOKIE_NAME if the site renames them. Every other cookie
    # (analytics and the like) is only read in the browser: drop it, so the
    # anonymous crowd shares one copy.
    if (req.http.Cookie) {
        cookie.parse(req.http.Cookie);
        cookie.keep("sessionid,csrftoken,wagtail_petition,messages,django_language");
        # get_string() ends with "; ": drop it.
        set req.http.Cookie = regsub(cookie.get_string(), ";\s*$", "");
        if (req.http.Cookie == "") {
            unset req.http.Cookie;
        } else {
            return (pass);
        }
    }

    # Pages say Vary: Accept-Language (LocaleMiddleware). Browsers send endless
    # variants of it; Django only looks for a language it has, falling back
    # from "es-ES" to "es", so the first primary tag is enough to choose one.
    # Note: a site with regional languages (pt-br, zh-hans) loses them here.
    # Only done for what may be cached: passed requests keep the original.
    if (req.http.Accept-Language) {
        set req.http.Accept-Language = std.tolower(regsub(req.http.Accept-Language, "^\s*([A-Za-z]{1,8})\b.*$", "\1"));
        if (req.http.Accept-Language !~ "^[a-z]{1,8}$") {
            unset req.http.Accept-Language;
        }
    }

    # Skip the builtin vcl_recv: it would pass every request with a cookie,
    # and the cookies left are already dealt with above.
    return (hash);
}

sub vcl_purge {
    return (synth(200, "Purged"));
}

sub vcl_backend_response {
    # For the purge's ban, which can only look at what a cached object holds.
    set beresp.http.X-Host = bereq.http.host;
    set beresp.http.X-Url = bereq.url;

    if (bereq.uncacheable) {
        return (deliver);
    }

    # A visitor's own answer must never reach another one: hit-for-miss for
    # 2 minutes, as the builtin does, so the next requests go straight to
    # Django without queueing behind each other.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # TTL comes from s-maxage / max-age (Varnish reads them itself), and grace
    # from stale-while-revalidate when Django sends it (the live count does).
    # Otherwise allow a minute of grace: a stale copy is served at once while
    # a fresh one is fetched in the background.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate") {
        set beresp.grace = 1m;
    }

    # A background refresh that fails keeps the stale copy in service rather
    # than replacing it with an error page.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }

    # On to the builtin: no TTL, Vary: * and Surrogate-Control handling.
}

sub vcl_deliver {
    unset resp.http.X-Host;
    unset resp.http.X-Url;

    # Read by the tests, and handy when checking a deployment with curl -I.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    set resp.http.X-Cache-Hits = obj.hits;
}
