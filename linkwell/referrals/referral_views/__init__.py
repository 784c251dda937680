"""Pages for the people who refer, answer and support (issue 4): thin views over policies,
actions and queries. One module per page family; `urls.py` names them."""
