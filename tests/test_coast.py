"""Where the map draws each route's landing in England."""

from channelsim.report.coast import landing


def test_a_ferry_lands_where_it_sails_to_not_at_the_nearest_port():
    # Ouistreham is nearer Newhaven than Portsmouth, but its ferries sail to Portsmouth
    assert landing("lorry_ferry", -0.25, 49.28)[0] == "Portsmouth"
    assert landing("lorry_ferry", 1.86, 50.95)[0] == "Dover"
    assert landing("lorry_ferry", 2.30, 51.01)[0] == "Dover"


def test_tunnel_and_boats_land_at_the_nearest_landing():
    assert landing("lorry_tunnel", 1.86, 50.95) == ("Folkestone", 1.15, 51.09)
    assert landing("small_boat", 1.86, 50.95)[0] == "Dungeness"
