"""Code run in child processes by the concurrency tests. It imports Django only
inside the function: a spawned process starts with nothing set up."""


def sign_over_http(db_name, path, signers, barrier, results):
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
            # Each signer from an address of their own, as in real life: one
            # address signing many times is held back by the rate limits.
            REMOTE_ADDR=address,
        ).status_code
        for email, address in signers
    ]
    connection.close()
    results.put(statuses)
