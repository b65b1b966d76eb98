def test_dashboard_for_verified_hr(make_user, verified_client):
    """SE-1: a verified user reaches the dashboard."""
    user = make_user("hr")
    response = verified_client(user).get("/")
    assert response.status_code == 200
    assert user.full_name in response.content.decode()
