from portal.complaints import tracking


def test_new_code_is_ten_crockford_characters():
    code = tracking.new_code()
    assert len(code) == 10
    assert set(code) <= set(tracking.ALPHABET)


def test_codes_carry_fifty_random_bits():
    assert len(tracking.ALPHABET) ** tracking.LENGTH >= 2 ** 50
    assert len({tracking.new_code() for _ in range(2000)}) == 2000


def test_format_groups_in_fives():
    assert tracking.format_code("ABCDE12345") == "ABCDE-12345"


def test_normalize_ignores_case_spaces_and_dashes():
    assert tracking.normalize(" abcde-12345 ") == "ABCDE12345"
    assert tracking.normalize("AbC dE 1 2 3 4 5") == "ABCDE12345"


def test_normalize_maps_confusable_letters():
    assert tracking.normalize("oBCDE-I2345") == "0BCDE12345"
    assert tracking.normalize("ABCDE-L2345") == "ABCDE12345"


def test_normalize_rejects_what_cannot_be_a_code():
    for text in ("", "ABCDE", "ABCDE-123456", "ABCDE-1234U", "ABCDE-1234!", None):
        assert tracking.normalize(text) is None
