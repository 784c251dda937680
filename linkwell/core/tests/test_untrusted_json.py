"""Untrusted JSON is read strictly, and what cannot be stored or validated is refused with
where it is."""

import pytest

from linkwell.core.untrusted_json import UntrustedJSONError, check, loads


def test_plain_json_is_read():
    assert loads(b'{"a": [1, "two", {"b": null}]}') == {"a": [1, "two", {"b": None}]}


def test_a_byte_order_mark_is_allowed():
    assert loads('\ufeff{"a": 1}'.encode()) == {"a": 1}


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        ('{"a": {"b": ["x\\u0000"]}}', ("a", "b", 0), "NUL"),
        ('{"a\\u0000": 1}', (), "key"),
        ("[NaN]", (), "not a JSON number"),
        ("[-Infinity]", (), "not a JSON number"),
        ("[" * 100_000 + "]" * 100_000, (), "nested"),
        ("[" * 65 + "]" * 65, (0,) * 64, "nested"),
        ('{"a": ', (), "not JSON"),
    ],
)
def test_what_cannot_be_taken_is_refused_saying_where(text, where, reason):
    with pytest.raises(UntrustedJSONError) as refused:
        loads(text)
    assert refused.value.where == where
    assert reason in refused.value.reason


def test_nesting_up_to_the_limit_is_read():
    assert loads("[" * 64 + "]" * 64, max_depth=64)


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(UntrustedJSONError, match="UTF-8"):
        loads(b'["\xff"]')


def test_parsed_values_are_checked_the_same_way():
    with pytest.raises(UntrustedJSONError) as refused:
        check({"entry": [{"resource": {"id": "\x00"}}]})
    assert refused.value.path == "entry.0.resource.id"
