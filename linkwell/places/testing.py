"""Facts of the default place (/work/shared/data and /work/shared/data-craven) that tests can
rely on.

Each constant was read from the named file; the places tests check they still hold.
"""

# postcodes_bradford.csv, line 2:
# BD1 1AA,53.79601,-1.75059,E01033690,Bradford 065C,E05001347,City,E01033690
KNOWN_POSTCODE = "BD1 1AA"
KNOWN_POSTCODE_LATITUDE = 53.79601
KNOWN_POSTCODE_LONGITUDE = -1.75059
KNOWN_POSTCODE_LSOA21 = "E01033690"
KNOWN_POSTCODE_WARD_CODE = "E05001347"
KNOWN_POSTCODE_WARD_NAME = "City"
# bradford_ward_constituency_lookup.csv: City (E05001347) is in Bradford West (pre-2024).
KNOWN_POSTCODE_CONSTITUENCY_CODE = "E14000589"
KNOWN_POSTCODE_CONSTITUENCY_NAME = "Bradford West"

# bradford_wards_2024.geojson: 30 wards, E05001341 (Baildon) .. E05001370; and
# craven_wards_2024.geojson: 9 wards (North Yorkshire divisions covering Craven).
WARD_COUNT = 39
BAILDON_WARD_CODE = "E05001341"

# The ward lookups: five pre-2024 Bradford constituencies of 6 wards each, and Skipton and
# Ripon (E14000928) for Craven's 9 wards.
CONSTITUENCY_COUNT = 6

# postcodes_craven.csv: BD24 9JA,54.07053,-2.2769,...,E05014316,Settle & Penyghent
CRAVEN_POSTCODE = "BD24 9JA"
CRAVEN_POSTCODE_WARD_NAME = "Settle & Penyghent"

# A well-formed postcode outside the place data (Leeds city centre, not in postcodes_bradford.csv).
POSTCODE_OUTSIDE_PLACE = "LS1 4AP"
