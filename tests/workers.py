"""Code run in child processes by the concurrency tests. It imports Django only
inside the function: a spawned process starts with nothing set up."""


def sign_over_http(db_name, path, emails, barrier, results):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    connection.settings_dict["NAME"] = db_name
    client = Client()
    barrier.wait()
    statuses = [
        client.post(
            path,
            {"first_name": "Sam", "last_name": "Signer", "email": email, "postal_code": ""},
        ).status_code
        for email in emails
    ]
    connection.close()
    results.put(statuses)
