"""The desk (办事台): server-rendered Chinese pages over the same queries/ as the API and CLI."""
