import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from tyonohjaus_plugin.core.ratelimit import client_address, is_rate_limited
from tyonohjaus_plugin.models import FeedbackResponse


def test_limit_counts_per_identity_and_window():
    limits = ((3, 60),)
    assert [is_rate_limited("t", "10.0.0.1", limits) for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    assert is_rate_limited("t", "10.0.0.2", limits) is False
    assert is_rate_limited("other-scope", "10.0.0.1", limits) is False


def test_cache_holds_only_a_hash_of_the_address():
    is_rate_limited("t", "192.0.2.44", ((5, 60),))
    keys = list(cache._cache.keys())  # LocMemCache in the test settings
    assert keys and not any("192.0.2.44" in key for key in keys)


def test_longer_window_limits_too():
    limits = ((100, 60), (2, 3600))
    assert [is_rate_limited("t", "a", limits) for _ in range(3)] == [False, False, True]


XFF = "HTTP_X_FORWARDED_FOR"


@pytest.mark.parametrize(
    ("conf", "meta", "expected"),
    [
        ({}, {"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        # Behind one proxy the client is the entry it appended, the last: whatever the client
        # wrote itself further left ("1.1.1.1") is not believed.
        ({"CLIENT_ADDRESS_META": XFF}, {XFF: "1.1.1.1, 198.51.100.1"}, "198.51.100.1"),
        (
            {"CLIENT_ADDRESS_META": XFF, "CLIENT_ADDRESS_PROXIES": 2},
            {XFF: "1.1.1.1, 198.51.100.1, 10.0.0.1"},
            "198.51.100.1",
        ),
        # Fewer entries than proxies: the furthest one there is.
        (
            {"CLIENT_ADDRESS_META": XFF, "CLIENT_ADDRESS_PROXIES": 3},
            {XFF: "198.51.100.1"},
            "198.51.100.1",
        ),
        # No header: the request did not come through the proxy, so its peer is the client.
        ({"CLIENT_ADDRESS_META": "HTTP_X_REAL_IP"}, {"REMOTE_ADDR": "10.0.0.5"}, "10.0.0.5"),
        ({"CLIENT_ADDRESS_META": "HTTP_X_REAL_IP"}, {"HTTP_X_REAL_IP": " 192.0.2.7 "}, "192.0.2.7"),
    ],
)
def test_client_address_from_the_configured_header(conf, meta, expected):
    request = RequestFactory().get("/", **meta)
    with override_settings(TYONOHJAUS_PLUGIN=conf):
        assert client_address(request) == expected


# -- feedback through HTTP: per browser behind one address, with a ceiling per address ----------


def feedback(client, page, **extra):
    return client.post(f"/fi/hr/feedback/{page.pk}/", {"answer": "yes"}, **extra).status_code


def browser(**meta):
    """A client with a session of its own, all from one proxy address (REMOTE_ADDR)."""
    client = Client(**meta)
    client.session  # noqa: B018 - creates the session and sets its cookie
    return client


@pytest.mark.django_db
@override_settings(TYONOHJAUS_PLUGIN={"FEEDBACK_RATE_LIMITS": ((2, 60),)})
def test_two_sessions_behind_one_proxy_address_are_limited_separately(service_pages):
    page = service_pages["fi"]
    first, second = browser(), browser()
    assert [feedback(first, page) for _ in range(3)] == [303, 303, 429]  # the same session
    assert [feedback(second, page) for _ in range(3)] == [303, 303, 429]
    # Without a session cookie, the CSRF cookie tells browsers apart (a form POST carries it).
    for token in ("a" * 32, "b" * 32):
        client = Client()
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        assert [feedback(client, page) for _ in range(3)] == [303, 303, 429]
    # One answer stored per browser (its second is recognised by the answered cookie).
    assert FeedbackResponse.objects.count() == 4


@pytest.mark.django_db
@override_settings(
    TYONOHJAUS_PLUGIN={
        "FEEDBACK_RATE_LIMITS": ((100, 60),),
        "FEEDBACK_ADDRESS_RATE_LIMITS": ((3, 60),),
    }
)
def test_the_address_has_a_ceiling_over_all_its_sessions(service_pages):
    """New sessions (or forged cookies) for every answer do not escape the address's limit."""
    page = service_pages["fi"]
    assert [feedback(browser(), page) for _ in range(4)] == [303, 303, 303, 429]
    assert feedback(browser(REMOTE_ADDR="10.9.8.7"), page) == 303


@pytest.mark.django_db
@override_settings(
    TYONOHJAUS_PLUGIN={
        "FEEDBACK_RATE_LIMITS": ((2, 60),),
        "CLIENT_ADDRESS_META": XFF,
        "CLIENT_ADDRESS_PROXIES": 1,
    }
)
def test_behind_the_proxy_setting_the_forwarded_address_counts(service_pages):
    page = service_pages["fi"]
    # One browser session: the proxy's own address is the same, the clients' differ.
    client = browser()
    assert [feedback(client, page, **{XFF: "198.51.100.1"}) for _ in range(3)] == [303, 303, 429]
    assert feedback(client, page, **{XFF: "198.51.100.2"}) == 303
    # A client cannot pick its address by writing the header itself: the proxy's entry counts.
    assert feedback(client, page, **{XFF: "192.0.2.99, 198.51.100.1"}) == 429


def test_fails_open_when_the_cache_is_unreachable():
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=unreachable):
        assert [is_rate_limited("t", "x", ((1, 60),)) for _ in range(3)] == [False] * 3
