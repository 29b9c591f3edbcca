"""`kg.personal`: the contact details a text meant for publication holds."""

import pytest

from kg.personal import contact_details, holds_name, url_contact_details, url_sign_in


@pytest.mark.parametrize(
    ("text", "regions", "found"),
    [
        ("Contacto: ana.beltran@raices-soria.es.", (), [("e-mail", "ana.beltran@raices-soria.es")]),
        ("teléfono 600 123 456", ("ES",), [("telephone", "600 123 456")]),
        ("teléfono 600 123 456", (), []),  # a national number, its country unknown
        ("call +34 600 123 456", (), [("telephone", "+34 600 123 456")]),
        ("o allo 0039 06 1234 5678", ("IT",), [("telephone", "0039 06 1234 5678")]),
        ("Τηλ. 2310 123456", ("EL",), [("telephone", "2310 123456")]),  # the graph's EL is GR
        # written to escape harvesters (a trial's went through)
        (
            "Escriba a lucia.gomez [at] sierraviva.org.",
            (),
            [("e-mail", "lucia.gomez [at] sierraviva.org")],
        ),
        ("info(at)lag-omezyma.es", (), [("e-mail", "info(at)lag-omezyma.es")]),
        ("ana (at) pueblo (dot) es", (), [("e-mail", "ana (at) pueblo (dot) es")]),
        ("mario chiocciola comune punto it", (), [("e-mail", "mario chiocciola comune punto it")]),
        # the at sign and the dots as words, bare: a trial's was published
        (
            "Mail g.verborgen at testtal dot at for details.",
            (),
            [("e-mail", "g.verborgen at testtal dot at")],
        ),
        ("G.VERBORGEN AT TESTTAL DOT AT", (), [("e-mail", "G.VERBORGEN AT TESTTAL DOT AT")]),
        ("ana at ayto.pueblo dot es", (), [("e-mail", "ana at ayto.pueblo dot es")]),
        ("ana [at] pueblo [dot] es", (), [("e-mail", "ana [at] pueblo [dot] es")]),
        ("ana {at} pueblo {dot} es", (), [("e-mail", "ana {at} pueblo {dot} es")]),
        ("Escribid a ana @ pueblo . es", (), [("e-mail", "ana @ pueblo . es")]),
        ("ana@pueblo dot es", (), [("e-mail", "ana@pueblo dot es")]),
        (
            "Mail an g.verborgen at testtal (punkt) de.",
            (),
            [("e-mail", "g.verborgen at testtal (punkt) de")],
        ),
        ("Escribe a ana arroba pueblo punto es.", (), [("e-mail", "ana arroba pueblo punto es")]),
        (
            "Écrire à marie arobase mairie point fr.",
            (),
            [("e-mail", "marie arobase mairie point fr")],
        ),
        ("marie (at) mairie (point) fr", (), [("e-mail", "marie (at) mairie (point) fr")]),
    ],
)
def test_contact_details_are_found(
    text: str, regions: tuple[str, ...], found: list[tuple[str, str]]
) -> None:
    assert [(d.kind, d.text) for d in contact_details(text, regions)] == found


@pytest.mark.parametrize(
    "text",
    [
        "Grant agreement 101004535 (Horizon 2020), EUR 2,999,750, 2019-2022.",
        "In 2020, 2021 and 2022 about 1 200 people took part.",
        "See https://example.org/people/ana@example.org/600123456 for the report.",
        "Plan 2014-2020 (AMIF) and 2021-2027.",
        "Families feel at home in Valderrobres. Es ist ein Dorf at Graz.at the border.",
        # "at" is English prose, and so is "point"; a sentence ends with ". "; "@name" is a handle
        "We meet at the town hall at noon. Then lunch at Teruel.",
        "More at lag-omezyma.es and at this point in time, workers at the point of arrival.",
        "Un punto de encuentro, a punto de abrir. Le point de départ est au point mort.",
        "Treffpunkt ist am Punkt 5. Come @ noon. Then go. Instagram @raices.nuevas",
        "Cinco arrobas de aceite para la cooperativa.",
        # after a bare "at", "punto" and "Punkt" are names of places and services, and "dot"
        # a verb (a review's sentences; `kg.personal` had refused them)
        "Newcomers are welcomed at the Punto de Encuentro in the town hall.",
        "Families get advice at the Punto Accoglienza of the municipality.",
        "Migrants can register at the Punto Lila, presented at CSA Punto Rosso in Milan.",
        "Classes take place at Spazio Punto Giovani. Children at school dot their drawings.",
        "Wir treffen uns at Haus Punkt Mitte.",
    ],
)
def test_numbers_and_links_are_not_contact_details(text: str) -> None:
    assert contact_details(text, ("ES", "IT", "DE", "FR", "EL", "LU", "AT", "IE")) == []


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://www.ejemplo.es/contacto?email=juan.garcia@gmail.com", ["juan.garcia@gmail.com"]),
        (
            "https://www.ejemplo.es/contacto?email=juan.garcia%40gmail.com",
            ["juan.garcia@gmail.com"],
        ),
        ("https://medium.com/@anna", []),  # a profile path: nothing before `@`
        ("https://medium.com/@anna.smith/a-village-that-welcomes", []),
        ("https://example.org/raices?lang=es", []),
        ("https://ana:secret@example.org/raices", []),  # a sign-in, not `secret@example.org`
        ("https://ana:secret@example.org/c?mail=juan.garcia@gmail.com", ["juan.garcia@gmail.com"]),
    ],
)
def test_e_mail_addresses_in_web_addresses_are_found(url: str, found: list[str]) -> None:
    assert [(d.kind, d.text) for d in url_contact_details(url)] == [("e-mail", f) for f in found]


@pytest.mark.parametrize(
    ("url", "sign_in"),
    [
        ("https://ana:secret@example.org/raices", "ana:secret"),
        ("ftp://bob@ftp.example.org/report.pdf", "bob"),
        ("https://medium.com/@anna", None),
        ("https://www.ejemplo.es/contacto?email=juan.garcia@gmail.com", None),
        ("https://[", None),  # not a readable address: nothing to say about it
    ],
)
def test_user_names_and_passwords_in_web_addresses_are_found(url: str, sign_in: str | None) -> None:
    assert url_sign_in(url) == sign_in


@pytest.mark.parametrize(
    ("text", "name", "held"),
    [
        ("Desde 2019 lo coordina Ana Beltrán en Teruel.", "Ana Beltrán", True),
        ("lo coordina ANA BELTRÁN.", "ana beltrán", True),  # any case
        ("Coordinated by J. Smith since 2020.", "J. Smith", True),
        (
            "Un progetto a San Marco in Lamis con Marco Rossini.",
            "Marco Rossi",
            False,
        ),  # whole words
        ("Un progetto a San Marco in Lamis, in Puglia.", "Marco", False),  # one word: a place too
        ("Il progetto di Marco Rossi a San Marco in Lamis.", "Marco Rossi", True),
        # typed without the accents the contact name has, or the other way round
        ("Lo coordina Lucia Fernandez Ortega.", "Lucía Fernández Ortega", True),
        ("Lo coordina Lucía Fernández Ortega.", "Lucia Fernandez Ortega", True),
    ],
)
def test_a_persons_full_name_is_found_in_whole_words(text: str, name: str, held: bool) -> None:
    assert holds_name(text, name) is held
