"""The form reader the fuzzers depend on: if it missed a field or a target, that field or route
would never be fuzzed, and nothing would say so."""
from tests.fuzz.html_forms import post_forms

PAGE = """
<form method="get" action="/search"><input name="q"></form>
<form method="POST" novalidate>
  <input type="hidden" name="csrf_token" value="tok">
  <input name="title" value="Game night">
  <input type="number" name="capacity" value="8">
  <input type="radio" name="format" value="online" checked> <input type="radio" name="format" value="in_person">
  <input type="checkbox" name="slots" value="11" checked> <input type="checkbox" name="slots" value="17">
  <select name="groups" multiple><option value="1">A</option><option value="2" selected>B</option></select>
  <select name="step_free"><option value="">Not sure</option><option>yes</option></select>
  <textarea name="agenda">
Bring snacks</textarea>
  <input type="file" name="photo"> <input type="submit" value="Go">
  <button type="submit" name="action" value="next">Next</button>
  <button type="submit" name="action" value="later">Later</button>
  <button type="submit" formaction="/activities/3/cancel">Cancel it</button>
</form>
"""


def test_post_forms_are_read_with_every_field_a_browser_would_send():
    form, cancel = post_forms(PAGE, "/organize/activities/3/edit?from=list")
    assert form.action == "/organize/activities/3/edit?from=list"  # no action: the page itself
    assert cancel.action == "/activities/3/cancel" and cancel.fields == form.fields
    fields = form.fields
    assert sorted(fields) == ["action", "agenda", "capacity", "csrf_token", "format", "groups", "slots",
                              "step_free", "title"]
    assert (fields["title"].kind, fields["title"].default) == ("text", "Game night")
    assert (fields["capacity"].kind, fields["capacity"].default) == ("number", "8")
    assert (fields["format"].options, fields["format"].default) == (["online", "in_person"], "online")
    assert (fields["slots"].options, fields["slots"].multiple) == (["11", "17"], True)
    assert (fields["groups"].options, fields["groups"].default, fields["groups"].multiple) == (["1", "2"], "2", True)
    assert fields["step_free"].options == ["", "yes"]
    assert fields["agenda"].default == "Bring snacks"  # the newline after <textarea> isn't part of it
    assert (fields["action"].kind, fields["action"].options) == ("button", ["next", "later"])
