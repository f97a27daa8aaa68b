"""Code run in child processes by the confirmation tests. It imports Django only
inside the function: a spawned process starts with nothing set up."""


def press_confirm_over_http(db_name, path, token, barrier, results):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    connection.settings_dict["NAME"] = db_name
    client = Client()
    barrier.wait()
    status = client.post(path, {"confirmation_token": token}).status_code
    connection.close()
    results.put(status)
