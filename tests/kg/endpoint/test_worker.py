"""What a query worker process sends back: an answer, or an error by class name and message."""

from kg.endpoint.execute import QueryRequest
from kg.endpoint.worker import answer
from kg.store import LocalStore


def test_a_worker_reports_errors_by_class_name_and_message() -> None:
    store = LocalStore(None)
    name, message = answer(store, QueryRequest("SELECT nonsense", "text/csv", 10), None)  # type: ignore[misc]
    assert name == "QuerySyntaxError"
    assert "SPARQL syntax error" in message
