import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from tyonohjaus_plugin.core.ratelimit import client_address, is_rate_limited


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


@pytest.mark.parametrize(
    ("meta_key", "meta", "expected"),
    [
        ("REMOTE_ADDR", {"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        (
            "HTTP_X_FORWARDED_FOR",
            {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 10.0.0.1"},
            "198.51.100.1",
        ),
        ("HTTP_X_REAL_IP", {}, ""),
    ],
)
def test_client_address_from_the_configured_header(meta_key, meta, expected):
    request = RequestFactory().get("/", **meta)
    with override_settings(TYONOHJAUS_PLUGIN={"CLIENT_ADDRESS_META": meta_key}):
        assert client_address(request) == expected


def test_fails_open_when_the_cache_is_unreachable():
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=unreachable):
        assert [is_rate_limited("t", "x", ((1, 60),)) for _ in range(3)] == [False] * 3
