"""Asking /search/ as a resident's browser does, for the search tests."""


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response
