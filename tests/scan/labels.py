"""Real-world and computed label contents shared by the scan tests.

The protocols.md section 5 examples are verified; the jkeen/tracking_number_data
test numbers are published carrier examples; the "computed" ones were made for
these tests with each carrier's check-digit rule.
"""

from __future__ import annotations

from kiosk.scan import Carrier

GS = "\x1d"

# (id, data as the barcode holds it, carrier, tracking number)
VALID: list[tuple[str, str, Carrier, str]] = [
    # UPS 1Z
    ("ups-protocols", "1Z5R89390357567127", Carrier.UPS, "1Z5R89390357567127"),
    ("ups-letters", "1Z879E930346834440", Carrier.UPS, "1Z879E930346834440"),
    ("ups-published-2", "1Z410E7W0392751591", Carrier.UPS, "1Z410E7W0392751591"),
    ("ups-published-3", "1Z8V92A70367203024", Carrier.UPS, "1Z8V92A70367203024"),
    ("ups-computed", "1ZA12B340312345671", Carrier.UPS, "1ZA12B340312345671"),
    ("ups-computed-2", "1ZH8X2Y90100421378", Carrier.UPS, "1ZH8X2Y90100421378"),
    # USPS IMpb without routing
    ("usps-94", "9400111206206406260787", Carrier.USPS, "9400111206206406260787"),
    ("usps-93", "9361289878700317633795", Carrier.USPS, "9361289878700317633795"),
    ("usps-95", "9505511069605048600624", Carrier.USPS, "9505511069605048600624"),
    ("usps-91", "9101123456789000000013", Carrier.USPS, "9101123456789000000013"),
    (
        "usps-26",
        "92748931507708513018050063",
        Carrier.USPS,
        "92748931507708513018050063",
    ),
    (
        "usps-30-computed",
        "920559012345678901234567890125",
        Carrier.USPS,
        "920559012345678901234567890125",
    ),
    (
        "usps-34-computed",
        "9305590123456789012345678901234566",
        Carrier.USPS,
        "9305590123456789012345678901234566",
    ),
    ("usps-20", "03071790000523483741", Carrier.USPS, "03071790000523483741"),
    (
        "usps-20-implied-91",
        "71969010756003077385",
        Carrier.USPS,
        "71969010756003077385",
    ),
    # USPS with 420 + ZIP routing, FNC1 transmitted as GS
    (
        "usps-zip5-gs",
        f"42012345{GS}9400111206206406260787",
        Carrier.USPS,
        "9400111206206406260787",
    ),
    (
        "usps-zip9-gs",
        f"420123456789{GS}9400111206206406260787",
        Carrier.USPS,
        "9400111206206406260787",
    ),
    (
        "usps-zip5-gs-91",
        f"42022153{GS}9101026837331000039521",
        Carrier.USPS,
        "9101026837331000039521",
    ),
    # USPS with routing, GS dropped by a keyboard-wedge scanner
    (
        "usps-zip5-no-gs",
        "420123459400111206206406260787",
        Carrier.USPS,
        "9400111206206406260787",
    ),
    (
        "usps-zip9-no-gs",
        "4201002334249200190132607600833457",
        Carrier.USPS,
        "9200190132607600833457",
    ),
    (
        "usps-zip9-no-gs-2",
        "4201028200009261290113185417468510",
        Carrier.USPS,
        "9261290113185417468510",
    ),
    # Both ZIP lengths leave a number whose check digit passes: ZIP+4 leaves
    # the 22-digit IMpb, ZIP5 a 26-digit one that is no less valid by its
    # construct, so the commoner 22 digits win...
    (
        "usps-zip9-no-gs-ambiguous",
        "4209021093009400111206206406260787",
        Carrier.USPS,
        "9400111206206406260787",
    ),
    # ...unless they do not fit a construct: here they would be application
    # ID 93 with a 9-digit mailer ID, which Publication 199 does not allow.
    (
        "usps-zip5-no-gs-ambiguous",
        "4201234593009312390000000000000007",
        Carrier.USPS,
        "93009312390000000000000007",
    ),
    (
        "usps-zip5-no-gs-91",
        "420221539101026837331000039521",
        Carrier.USPS,
        "9101026837331000039521",
    ),
    # FedEx
    ("fedex-12", "986578788855", Carrier.FEDEX, "986578788855"),
    ("fedex-12-2", "477179081230", Carrier.FEDEX, "477179081230"),
    ("fedex-12-computed", "270419831550", Carrier.FEDEX, "270419831550"),
    (
        "fedex-34-protocols",
        "1001921334250001000300779017972697",
        Carrier.FEDEX,
        "779017972697",
    ),
    (
        "fedex-34-published",
        "1001921380360001000300639585804382",
        Carrier.FEDEX,
        "639585804382",
    ),
    (
        "fedex-34-published-2",
        "1002297871540001000300790695517286",
        Carrier.FEDEX,
        "790695517286",
    ),
    (
        "fedex-34-computed",
        "1002012345678994103000270419831550",
        Carrier.FEDEX,
        "270419831550",
    ),
    # Digits 20-21 need not be 00: the check digit covers them too.
    (
        "fedex-34-check-over-13",
        "1001921334250001000312779017972690",
        Carrier.FEDEX,
        "779017972690",
    ),
    (
        "fedex-34-published-3",
        "1027590111820004833500785458233610",
        Carrier.FEDEX,
        "785458233610",
    ),
    (
        "fedex-34-published-4",
        "1195266473930007521100871079919940",
        Carrier.FEDEX,
        "871079919940",
    ),
    # FedEx ASTRA, jkeen/tracking_number_data's published examples.
    (
        "fedex-astra",
        "32971514560102447849175802862014",
        Carrier.FEDEX,
        "784917580286",
    ),
    (
        "fedex-astra-2",
        "32971510360102447848540980802018",
        Carrier.FEDEX,
        "784854098080",
    ),
    (
        "fedex-astra-3",
        "33810799560000004380417923803212",
        Carrier.FEDEX,
        "438041792380",
    ),
    (
        "fedex-ground-34",
        "9622001900000000000000776632517510",
        Carrier.FEDEX,
        "776632517510",
    ),
    ("fedex-ground-15", "041441760228964", Carrier.FEDEX, "041441760228964"),
    ("fedex-ground-15-computed", "123456789012343", Carrier.FEDEX, "123456789012343"),
    ("fedex-ground-96", "9611020987654312345672", Carrier.FEDEX, "987654312345672"),
    (
        "fedex-ground-96-computed",
        "9612034123456776543218",
        Carrier.FEDEX,
        "123456776543218",
    ),
    # FedEx SmartPost: a USPS IMpb printed without its 92, delivered by USPS.
    (
        "fedex-smartpost-20",
        "61299998820821171811",
        Carrier.USPS,
        "9261299998820821171811",
    ),
    (
        "fedex-smartpost-22",
        "9261292700768711948021",
        Carrier.USPS,
        "9261292700768711948021",
    ),
    # DHL
    ("dhl-express-10", "3318810025", Carrier.DHL, "3318810025"),
    ("dhl-express-11", "73891051146", Carrier.DHL, "73891051146"),
    ("dhl-express-computed", "1234567891", Carrier.DHL, "1234567891"),
    ("dhl-express-computed-11", "52204518936", Carrier.DHL, "52204518936"),
    # The first J of JJD is the ISO 15459 data identifier, not DHL's number.
    ("dhl-piece-jjd", "JJD0099999999", Carrier.DHL, "JD0099999999"),
    ("dhl-piece-jvgl", "JVGL0999999990", Carrier.DHL, "JVGL0999999990"),
    (
        "dhl-licence-plate",
        "JJD014600003889003612",
        Carrier.DHL,
        "JD014600003889003612",
    ),
    (
        "dhl-licence-plate-2",
        "JJD014600006281562934",
        Carrier.DHL,
        "JD014600006281562934",
    ),
    (
        "dhl-licence-plate-without-identifier",
        "JD014600006281562934",
        Carrier.DHL,
        "JD014600006281562934",
    ),
    ("dhl-ecommerce", "GM2951173225174494", Carrier.DHL, "GM2951173225174494"),
    # Royal Mail and other posts, UPU S10
    ("royal-mail-protocols", "RB123456785GB", Carrier.ROYAL_MAIL, "RB123456785GB"),
    ("royal-mail-computed", "AB123456785GB", Carrier.ROYAL_MAIL, "AB123456785GB"),
    ("royal-mail-computed-2", "RR987654326GB", Carrier.ROYAL_MAIL, "RR987654326GB"),
    ("royal-mail-computed-3", "LX000421374GB", Carrier.ROYAL_MAIL, "LX000421374GB"),
    ("s10-us", "RB123456785US", Carrier.UPU_POST, "RB123456785US"),
    ("s10-de-computed", "CP102030405DE", Carrier.UPU_POST, "CP102030405DE"),
    ("s10-cv", "RB123456785CV", Carrier.UPU_POST, "RB123456785CV"),
    # Amazon Logistics
    ("amazon-tba", "TBA502887274000", Carrier.AMAZON, "TBA502887274000"),
    ("amazon-tbc", "TBC123456789012", Carrier.AMAZON, "TBC123456789012"),
    ("amazon-tbm", "TBM000000000001", Carrier.AMAZON, "TBM000000000001"),
    # GS1 SSCC
    ("sscc-protocols", "000123450000000027", Carrier.SSCC, "000123450000000027"),
    ("sscc-ai-00", "00000123450000000027", Carrier.SSCC, "000123450000000027"),
    ("sscc-computed", "350123450000000016", Carrier.SSCC, "350123450000000016"),
    ("sscc-computed-ai", "00050601234500000422", Carrier.SSCC, "050601234500000422"),
]

# (id, data, carrier it looks like) for reads a terminal must not guess at:
# a failing check digit or a truncated read.
NEAR_MISSES: list[tuple[str, str, Carrier]] = [
    ("ups-check", "1Z5R89390357567128", Carrier.UPS),
    ("ups-truncated", "1Z5R8939035756712", Carrier.UPS),
    ("ups-one-more", "1Z5R893903575671277", Carrier.UPS),
    ("usps-check", "9400111206206406260788", Carrier.USPS),
    ("usps-34-check", "9305590123456789012345678901234567", Carrier.USPS),
    ("usps-routed-check", f"42012345{GS}9400111206206406260788", Carrier.USPS),
    ("usps-routed-truncated", f"42012345{GS}94001112062064062607", Carrier.USPS),
    ("usps-routing-only", "42012345", Carrier.USPS),
    ("usps-routing-only-gs", f"42012345{GS}", Carrier.USPS),
    ("usps-no-gs-check", "420123459400111206206406260788", Carrier.USPS),
    ("fedex-34-check", "1001921334250001000300779017972698", Carrier.FEDEX),
    # The 12 digits alone pass, but the check over all 13 fails.
    ("fedex-34-check-over-13", "1001921334250001000312779017972697", Carrier.FEDEX),
    ("fedex-astra-check", "32971514560102447849175802852014", Carrier.FEDEX),
    ("fedex-96-check", "9611020987654312345673", Carrier.FEDEX),
    ("royal-mail-check", "RB123456784GB", Carrier.ROYAL_MAIL),
    ("sscc-ai-check", "00000123450000000028", Carrier.SSCC),
    ("amazon-truncated", "TBA50288727400", Carrier.AMAZON),
]

# (id, data) for numbers no carrier rule may claim, though a loose rule would.
NOT_RECOGNISED: list[tuple[str, str]] = [
    # A USPS 20-digit number with a wrong check digit: with 92 in front its
    # digits pass, but they are no IMpb (the mailer ID does not start with 9).
    ("usps-20-check", "03071790000523483742"),
    ("smartpost-check", "61299998820821171815"),
    # An S10 shape whose check digit passes, but XX is no country.
    ("s10-no-country", "RB123456785XX"),
    ("s10-uk-is-not-iso", "RB123456785UK"),
]
