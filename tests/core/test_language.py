from django.urls import reverse


def test_an_english_browser_still_gets_the_vietnamese_interface(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_a_person_who_chose_english_gets_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
