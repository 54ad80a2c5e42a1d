#!/usr/bin/env python3
"""Derive ``demo/data/demo_sectors.json``: the sector map the demo seeder uses.

The demo town is Barnsley. For each sector this script holds a small, hand-written
spec (job titles, fictional employer names, rough shares, wages, hours, contract
mix) and a list of skill *phrases chosen by a person*. Every phrase is resolved to
a real taxonomy id by EXACT, case-insensitive match against:

1. the UK licences list, label column          (``matching/data/uk_licences.csv``)
2. ESCO v1.1.1 preferred labels                 (``matching/data/esco_skills.csv.gz``)
3. the UK licences list, ``alt_labels`` column
4. ESCO v1.1.1 alternative labels               (``matching/data/esco_skills_alt_labels.csv.gz``)

The first tier that matches wins. If a phrase matches nothing, or matches more than
one id within the winning tier, the script stops with an error listing every such
phrase: nothing is guessed and nothing is fuzzy-matched. The output records the
taxonomy's own preferred label for each id, plus a few ways a person might type the
skill (``typed``), which the seeder uses as free text in profiles and adverts.

ESCO ids are written as ``esco:<uuid>`` (the form used by ``advert_phrases.csv``);
UK licence ids keep their ``uk:`` prefix.

The output is deterministic, so re-running gives a byte-identical file.

Usage::

    python scripts/derive_demo_sectors.py           # write the JSON
    python scripts/derive_demo_sectors.py --check   # exit 1 if the JSON is stale
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "matching" / "data"
ESCO_SKILLS = DATA_DIR / "esco_skills.csv.gz"
ESCO_ALT_LABELS = DATA_DIR / "esco_skills_alt_labels.csv.gz"
UK_LICENCES = DATA_DIR / "uk_licences.csv"
OUTPUT = ROOT / "demo" / "data" / "demo_sectors.json"

# National Living Wage (21+) from 1 April 2026. Apprentice rates are applied by the seeder.
NATIONAL_LIVING_WAGE_2026 = 12.71
CONTRACT_TYPES = ("permanent", "fixed_term", "temporary", "zero_hours", "apprenticeship")
SHARE_TOLERANCE = 1e-6

ABOUT = (
    "Demo sector map for JobMatch's demo town, Barnsley, written by "
    "scripts/derive_demo_sectors.py. For each sector a person hand-picked skill "
    "phrases (ESCO v1.1.1 preferred or alternative labels, plus entries from "
    "JobMatch's UK licences list); the script resolved every phrase to a taxonomy id "
    "by exact, case-insensitive label match and failed if any did not resolve. "
    "'label' is the taxonomy's preferred label; 'typed' gives hand-written examples "
    "of how people actually type the skill. Employer names are fictional (built from "
    "Barnsley place names) and do not refer to real organisations. Vacancy and "
    "seeker shares, wages, hours, contract mixes and licence/remote shares are rough "
    "judgements, loosely informed by the kinds of jobs common in Barnsley (care, "
    "health, warehousing and distribution along the M1, retail, manufacturing); "
    "they are not statistics. Skill labels: ESCO, © European Union, reused under the "
    "Commission's reuse policy."
)
ATTRIBUTION = (
    "ESCO, © European Union, reused under the Commission's reuse policy "
    "(Commission Decision 2011/833/EU). Skill labels are from ESCO v1.1.1 "
    "(skills pillar, English); JobMatch selected a subset and added UK licence entries."
)

# ---------------------------------------------------------------------------
# Hand-written spec. Each skill is (phrase to resolve, [ways people type it]).
# "essential" lists phrases that must also appear in that sector's skills.
# ---------------------------------------------------------------------------

COMMON_SKILLS: list[tuple[str, list[str]]] = [
    ("work in teams", ["team player", "teamwork", "works well in a team"]),
    ("communication", ["good communication skills", "communication", "good communicator"]),
    ("customer service", ["customer service", "customer care", "dealing with customers"]),
    ("manage time", ["time management", "good timekeeping", "organised"]),
    ("act reliably", ["reliable", "dependable", "good attendance record"]),
    ("adapt to change", ["flexible", "adaptable", "happy to adapt"]),
    ("attend to detail", ["attention to detail", "eye for detail", "accurate"]),
    ("apply numeracy skills", ["numeracy", "good with numbers", "basic maths"]),
    ("follow written instructions", ["follows instructions", "can follow procedures"]),
    ("work independently", ["works on own initiative", "self-motivated", "lone working"]),
]

SECTORS: list[dict] = [
    {
        "key": "care",
        "name": "Social care (care homes and home care)",
        "vacancy_share": 0.15,
        "seeker_share": 0.10,
        "titles": [
            "Care Assistant",
            "Senior Care Assistant",
            "Support Worker",
            "Domiciliary Care Worker",
            "Home Carer",
            "Night Care Assistant",
            "Care Team Leader",
        ],
        "employer_names": [
            "Dearne Valley Care Homes",
            "Cawthorne Court Residential Care",
            "Wombwell Home Care Services",
            "Hoyland Lodge Care Home",
            "Pennine Homecare Partnership",
            "Darton Meadows Care Centre",
            "Royston Hall Residential Home",
            "Penistone Community Carers",
            "Wentworth View Care Home",
            "Goldthorpe Domiciliary Care",
            "Mapplewell Supported Living",
            "Cudworth Grange Care Home",
            "Silkstone House Care",
            "Elsecar Home Support Services",
        ],
        "skills": [
            ("DBS check", ["DBS", "enhanced DBS", "DBS checked"]),
            ("First Aid at Work", ["first aid", "first aid trained", "FAW"]),
            (
                "tend to elderly people",
                ["elderly care", "caring for older people", "care of the elderly"],
            ),
            ("provide home care", ["home care", "domiciliary care", "homecare visits"]),
            (
                "assist in the administration of medication to elderly",
                ["medication administration", "giving medication", "meds round"],
            ),
            (
                "apply person-centred care",
                ["person centred care", "person-centred", "dignity and respect"],
            ),
            (
                "provide safeguarding to individuals",
                ["safeguarding", "safeguarding adults", "adult safeguarding"],
            ),
            (
                "transfer patients",
                ["moving and handling", "manual handling of people", "hoist transfers"],
            ),
            ("infection control", ["infection control", "infection prevention", "IPC"]),
            (
                "maintain records of work with service users",
                ["care notes", "writing care records", "daily care logs"],
            ),
            (
                "assist social service users with physical disabilities",
                ["mobility support", "disability support", "helping people with mobility"],
            ),
            (
                "support social service users to live at home",
                ["supporting independent living", "living at home support", "independent living"],
            ),
            (
                "follow health and safety precautions in social care practices",
                ["health and safety in care", "safe working practices", "care health and safety"],
            ),
            (
                "support social service users at the end of life",
                ["end of life care", "palliative support"],
            ),
            ("relate empathetically", ["empathy", "caring nature", "compassionate"]),
        ],
        "essential": ["DBS check"],
        "requires_driving_licence_share": 0.45,
        "contract_mix": {
            "permanent": 0.70,
            "fixed_term": 0.03,
            "temporary": 0.05,
            "zero_hours": 0.20,
            "apprenticeship": 0.02,
        },
        "hourly_wage": [12.71, 14.50],
        "hours": [16, 40],
        "remote_share": 0.0,
    },
    {
        "key": "nursing",
        "name": "Nursing and healthcare",
        "vacancy_share": 0.07,
        "seeker_share": 0.04,
        "titles": [
            "Healthcare Assistant",
            "Registered General Nurse (RGN)",
            "Staff Nurse",
            "Nursing Associate",
            "Clinical Support Worker",
            "Phlebotomist",
            "Registered Mental Health Nurse (RMN)",
        ],
        "employer_names": [
            "Wentworth Castle Nursing Home",
            "Dove Valley Nursing Home",
            "Royston Lane Nursing Care",
            "Darton Heights Nursing Home",
            "Staincross Medical Group",
            "Tankersley Park Rehabilitation Centre",
            "Oxspring Nursing Agency",
            "Shafton Healthcare Staffing",
            "Pennine Bank Nurses",
            "Dearne Valley Community Health",
            "Monk Bretton Nursing Home",
            "Birdwell Clinic Partnership",
            "Cawthorne Private Clinic",
        ],
        "skills": [
            ("DBS check", ["enhanced DBS", "DBS", "DBS certificate"]),
            ("implement nursing care", ["nursing care", "general nursing", "patient care"]),
            (
                "administer prescribed medication",
                ["medication administration", "drug rounds", "giving medicines"],
            ),
            ("monitor patient's vital signs", ["observations", "vital signs", "NEWS2 obs"]),
            ("carry out wound care", ["wound care", "dressings", "wound dressing"]),
            ("infection control", ["infection prevention and control", "IPC", "infection control"]),
            ("perform venepuncture procedures", ["phlebotomy", "venepuncture", "taking bloods"]),
            ("plan nursing care", ["care planning", "nursing care plans", "writing care plans"]),
            (
                "record healthcare users' progress related to treatment",
                ["clinical notes", "patient records", "record keeping"],
            ),
            ("transfer patients", ["moving and handling", "patient handling", "patient transfers"]),
            ("resuscitation", ["CPR", "basic life support", "BLS"]),
            (
                "empathise with the healthcare user",
                ["compassion", "empathy with patients", "caring manner"],
            ),
            (
                "maintain healthcare user data confidentiality",
                ["patient confidentiality", "confidentiality", "GDPR in healthcare"],
            ),
            (
                "comply with legislation related to health care",
                ["CQC standards", "healthcare regulations", "clinical governance"],
            ),
        ],
        "essential": ["DBS check", "implement nursing care"],
        "requires_driving_licence_share": 0.10,
        "contract_mix": {
            "permanent": 0.78,
            "fixed_term": 0.08,
            "temporary": 0.10,
            "zero_hours": 0.02,
            "apprenticeship": 0.02,
        },
        "hourly_wage": [12.85, 22.50],
        "hours": [20, 37.5],
        "remote_share": 0.0,
    },
    {
        "key": "warehouse",
        "name": "Warehouse, logistics and distribution",
        "vacancy_share": 0.15,
        "seeker_share": 0.16,
        "titles": [
            "Warehouse Operative",
            "Picker Packer",
            "FLT Driver",
            "Reach Truck Driver",
            "Goods In Operative",
            "Despatch Operative",
            "Warehouse Team Leader",
            "Stock Controller",
        ],
        "employer_names": [
            "Pennine Logistics Ltd",
            "Dearne Distribution Ltd",
            "Junction 36 Fulfilment Ltd",
            "Grimethorpe Parcel Hub",
            "Hoyland Common Warehousing",
            "Tankersley Storage & Distribution",
            "Shafton Freight Services",
            "Wombwell Fulfilment Centre",
            "Birdwell Logistics Park Ltd",
            "Cudworth Supply Chain Solutions",
            "Darton Pallet Network",
            "Goldthorpe Cold Store Ltd",
            "Dodworth Distribution Ltd",
            "Royston Retail Logistics",
        ],
        "skills": [
            ("Counterbalance forklift licence", ["forklift", "FLT licence", "counterbalance"]),
            ("Reach truck licence", ["reach truck", "reach FLT", "reach licence"]),
            (
                "operate forklift",
                ["forklift driving", "fork lift truck driving", "driving a forklift"],
            ),
            ("pick orders for dispatching", ["picking", "order picking", "picking and packing"]),
            ("operate voice picking systems", ["voice picking", "Vocollect", "voice pick"]),
            ("use barcode scanning equipment", ["RF scanner", "handheld scanner", "scanning"]),
            ("pack goods", ["packing", "packing orders", "pick and pack"]),
            ("load pallets", ["pallet building", "wrapping pallets", "loading pallets"]),
            (
                "perform loading and unloading operations",
                ["loading and unloading", "tipping trailers", "goods in"],
            ),
            ("operate material handling equipment", ["pallet truck", "PPT", "MHE"]),
            (
                "operate warehouse record systems",
                ["WMS", "warehouse management system", "SAP warehouse"],
            ),
            (
                "follow stock control instructions",
                ["stock control", "stock counts", "cycle counting"],
            ),
            ("stack goods", ["stacking", "putaway", "racking"]),
            ("lift heavy weights", ["heavy lifting", "manual handling", "lifting up to 25kg"]),
            (
                "safety regulations for warehouses",
                ["warehouse safety", "warehouse health and safety"],
            ),
        ],
        "essential": ["pick orders for dispatching", "Counterbalance forklift licence"],
        "requires_driving_licence_share": 0.10,
        "contract_mix": {
            "permanent": 0.45,
            "fixed_term": 0.10,
            "temporary": 0.35,
            "zero_hours": 0.07,
            "apprenticeship": 0.03,
        },
        "hourly_wage": [12.71, 14.75],
        "hours": [20, 45],
        "remote_share": 0.0,
    },
    {
        "key": "retail",
        "name": "Retail",
        "vacancy_share": 0.11,
        "seeker_share": 0.15,
        "titles": [
            "Retail Assistant",
            "Sales Assistant",
            "Customer Assistant",
            "Checkout Operator",
            "Shift Supervisor",
            "Stock Replenishment Assistant",
            "Assistant Store Manager",
        ],
        "employer_names": [
            "Pennine Discount Stores",
            "Dearne Value Foods",
            "Wombwell Home & Garden",
            "Cawthorne Farm Shop",
            "Penistone Country Store",
            "Darton DIY & Hardware",
            "Royston Budget Supermarket",
            "Mapplewell Mini Market",
            "Goldthorpe Bargain Centre",
            "Elsecar Gift Emporium",
            "Dodworth Pet Supplies",
            "Worsbrough Sports & Outdoor",
            "Dearne Electricals",
            "Silkstone Bakery Shops",
        ],
        "skills": [
            ("operate cash register", ["till", "till work", "cashier"]),
            (
                "operate electronic payment terminals",
                ["card machine", "chip and pin", "contactless payments"],
            ),
            ("process payments", ["taking payments", "handling cash", "cash handling"]),
            ("stock shelves", ["shelf stacking", "filling shelves", "replenishment"]),
            (
                "assist customers",
                ["helping customers", "serving customers", "shop floor customer service"],
            ),
            (
                "handle customer complaints",
                ["complaints", "dealing with complaints", "resolving complaints"],
            ),
            ("check price accuracy on the shelf", ["price checks", "pricing", "shelf edge labels"]),
            (
                "maintain store cleanliness",
                ["keeping the shop tidy", "store housekeeping", "tidy shop floor"],
            ),
            (
                "prevent shoplifting",
                ["loss prevention", "shoplifting prevention", "theft prevention"],
            ),
            ("sell products", ["sales", "selling", "retail sales"]),
            ("upsell products", ["upselling", "add-on sales", "cross selling"]),
            ("monitor stock level", ["stock levels", "stock checks", "ordering stock"]),
            ("use barcode scanning equipment", ["scanner gun", "handheld scanner", "scanning"]),
        ],
        "essential": ["assist customers", "operate cash register"],
        "requires_driving_licence_share": 0.05,
        "contract_mix": {
            "permanent": 0.72,
            "fixed_term": 0.08,
            "temporary": 0.08,
            "zero_hours": 0.08,
            "apprenticeship": 0.04,
        },
        "hourly_wage": [12.71, 14.25],
        "hours": [8, 37.5],
        "remote_share": 0.0,
    },
    {
        "key": "driving",
        "name": "Driving (HGV, van delivery, bus)",
        "vacancy_share": 0.08,
        "seeker_share": 0.06,
        "titles": [
            "HGV Class 1 Driver",
            "HGV Class 2 Driver",
            "7.5 Tonne Driver",
            "Multi-drop Delivery Driver",
            "Van Driver",
            "Courier Driver",
            "Bus Driver",
        ],
        "employer_names": [
            "Pennine Haulage Ltd",
            "Dearne Valley Coaches",
            "Wentworth Travel Buses",
            "Royston Transport Services",
            "Hoyland Couriers",
            "M1 Corridor Freight Ltd",
            "Tankersley Tipper Hire",
            "Wombwell Van Deliveries",
            "Darton Parcel Express",
            "Shafton Tankers Ltd",
            "Cudworth Removals & Storage",
            "Goldthorpe Refrigerated Transport",
            "Penistone Rural Bus Company",
            "Grimethorpe Haulage Co",
        ],
        "skills": [
            ("HGV Class 2 (Category C) licence", ["Cat C", "Class 2 licence", "HGV2"]),
            ("HGV Class 1 (Category C+E) licence", ["Class 1", "C+E licence", "HGV1"]),
            ("Driver CPC", ["CPC", "driver CPC card", "DQC"]),
            ("drive lorries", ["HGV driving", "lorry driving", "artic driving"]),
            ("drive bus", ["bus driving", "PCV driving", "driving a bus"]),
            ("drive vehicles", ["driving", "van driving", "car driving"]),
            ("drive in urban areas", ["town centre driving", "city driving", "local deliveries"]),
            ("perform defensive driving", ["defensive driving", "safe driving", "driving safely"]),
            (
                "road traffic laws",
                ["highway code", "road traffic regulations", "traffic law"],
            ),
            ("handle parcels", ["multi-drop", "parcel delivery", "courier work"]),
            ("load cargo", ["loading the vehicle", "loading and securing loads", "load securing"]),
            (
                "maintain vehicle delivery documentation",
                ["delivery paperwork", "PODs", "proof of delivery"],
            ),
            ("operate GPS systems", ["sat nav", "GPS", "route planning app"]),
            (
                "assist passengers",
                ["helping passengers", "passenger assistance", "customer care on board"],
            ),
        ],
        "essential": ["Driver CPC", "HGV Class 2 (Category C) licence"],
        "requires_driving_licence_share": 1.0,
        "contract_mix": {
            "permanent": 0.65,
            "fixed_term": 0.05,
            "temporary": 0.20,
            "zero_hours": 0.07,
            "apprenticeship": 0.03,
        },
        "hourly_wage": [12.85, 20.50],
        "hours": [20, 48],
        "remote_share": 0.0,
    },
    {
        "key": "construction",
        "name": "Construction",
        "vacancy_share": 0.08,
        "seeker_share": 0.08,
        "titles": [
            "General Labourer",
            "Site Labourer",
            "Groundworker",
            "Bricklayer",
            "Plasterer",
            "Scaffolder",
            "Dryliner",
            "Plant Operator",
        ],
        "employer_names": [
            "Wombwell Building Services",
            "Hoyland Groundworks Ltd",
            "Pennine Scaffolding Ltd",
            "Dearne Construction Group",
            "Cawthorne Stone & Brick",
            "Royston Plastering Contractors",
            "Darton Homes Ltd",
            "Mapplewell Plant Hire",
            "Penistone Joinery & Build",
            "Goldthorpe Civil Engineering",
            "Worsbrough Roofing Ltd",
            "Elsecar Restoration Builders",
            "Staincross Drylining",
            "Silkstone Developments",
        ],
        "skills": [
            ("CSCS card", ["CSCS", "green CSCS card", "CSCS labourer card"]),
            (
                "follow health and safety procedures in construction",
                ["site health and safety", "construction safety", "site safety"],
            ),
            (
                "use personal protective equipment",
                ["PPE", "wearing PPE", "safety boots and hi-vis"],
            ),
            (
                "follow safety procedures when working at heights",
                ["working at height", "working at heights", "harness work"],
            ),
            ("use hand tools", ["hand tools", "own tools", "general hand tools"]),
            ("use power tools", ["power tools", "110v tools", "using a drill and saw"]),
            ("lay bricks", ["bricklaying", "brickwork", "laying bricks"]),
            ("mix concrete", ["mixing concrete", "mixing cement", "concrete mixer"]),
            ("pour concrete", ["concreting", "pouring concrete", "laying concrete"]),
            ("build scaffolding", ["scaffolding", "erecting scaffolding", "scaffold"]),
            ("plaster surfaces", ["plastering", "skimming", "rendering"]),
            ("place drywall", ["drylining", "plasterboarding", "boarding out"]),
            ("interpret 2D plans", ["reading drawings", "reading plans", "blueprints"]),
            (
                "drive mobile heavy construction equipment",
                ["plant operating", "digger driving", "dumper driving"],
            ),
            (
                "work in a construction team",
                ["site team", "working with trades", "teamwork on site"],
            ),
        ],
        "essential": ["CSCS card"],
        "requires_driving_licence_share": 0.40,
        "contract_mix": {
            "permanent": 0.50,
            "fixed_term": 0.15,
            "temporary": 0.20,
            "zero_hours": 0.03,
            "apprenticeship": 0.12,
        },
        "hourly_wage": [13.00, 22.00],
        "hours": [30, 45],
        "remote_share": 0.0,
    },
    {
        "key": "admin",
        "name": "Administration and customer service",
        "vacancy_share": 0.09,
        "seeker_share": 0.13,
        "titles": [
            "Administrator",
            "Office Administrator",
            "Admin Assistant",
            "Receptionist",
            "Customer Service Advisor",
            "Data Entry Clerk",
            "Call Centre Agent",
            "Medical Receptionist",
        ],
        "employer_names": [
            "Pennine Business Services",
            "Dearne Insurance Brokers",
            "Wentworth Accountancy Ltd",
            "Hoyland Solicitors LLP",
            "Royston Contact Centre",
            "Darton Estate Agents",
            "Cawthorne Property Management",
            "Town Centre Lettings Barnsley",
            "Penistone Community Trust",
            "Wombwell Recruitment",
            "Cudworth Housing Association",
            "Dodworth Valley Medical Practice",
            "Mapplewell Energy Customer Services",
            "Kendray Training Academy",
        ],
        "skills": [
            ("use microsoft office", ["MS Office", "Microsoft Office", "Office 365"]),
            ("use spreadsheets software", ["Excel", "spreadsheets", "Google Sheets"]),
            ("use word processing software", ["Word", "MS Word", "word processing"]),
            ("perform clerical duties", ["admin", "general admin", "administrative duties"]),
            (
                "office administration",
                ["office admin", "office administration", "office management"],
            ),
            ("answer incoming calls", ["answering phones", "switchboard", "inbound calls"]),
            ("communicate by telephone", ["telephone manner", "phone skills", "telephone skills"]),
            (
                "respond to customers' inquiries",
                ["customer enquiries", "handling enquiries", "email enquiries"],
            ),
            (
                "handle customer complaints",
                ["complaints handling", "resolving complaints", "complaints"],
            ),
            ("maintain customer records", ["data entry", "updating records", "customer records"]),
            ("type at speed", ["fast typing", "touch typing", "45 wpm"]),
            ("file documents", ["filing", "document filing", "archiving"]),
            ("administer appointments", ["booking appointments", "diary management", "scheduling"]),
            ("use customer relationship management software", ["CRM", "Salesforce", "CRM systems"]),
        ],
        "essential": ["use microsoft office"],
        "requires_driving_licence_share": 0.10,
        "contract_mix": {
            "permanent": 0.70,
            "fixed_term": 0.12,
            "temporary": 0.10,
            "zero_hours": 0.02,
            "apprenticeship": 0.06,
        },
        "hourly_wage": [12.71, 15.50],
        "hours": [16, 37.5],
        "remote_share": 0.08,
    },
    {
        "key": "hospitality",
        "name": "Hospitality (kitchen, bar, cafe)",
        "vacancy_share": 0.09,
        "seeker_share": 0.10,
        "titles": [
            "Kitchen Porter",
            "Commis Chef",
            "Chef de Partie",
            "Catering Assistant",
            "Bar Staff",
            "Waiting Staff",
            "Barista",
            "Front of House Team Member",
        ],
        "employer_names": [
            "The Cawthorne Arms",
            "Wentworth Tea Rooms",
            "Dearne Valley Carvery",
            "The Hoyland Miners' Rest",
            "The Penistone Pantry",
            "Royston Fish Bar",
            "Darton Lane Bistro",
            "Elsecar Canal Coffee House",
            "The Old Colliery Tavern",
            "Worsbrough Bridge Kitchen",
            "Silkstone Hotel & Spa",
            "Cudworth Catering Services",
            "Mapplewell Spice House",
            "The Stairfoot Grill",
        ],
        "skills": [
            (
                "Food Hygiene Level 2",
                ["food hygiene certificate", "level 2 food hygiene", "food safety level 2"],
            ),
            (
                "comply with food safety and hygiene",
                ["food safety", "food hygiene", "HACCP"],
            ),
            (
                "use food preparation techniques",
                ["food prep", "food preparation", "prepping vegetables"],
            ),
            ("use cooking techniques", ["cooking", "grill cooking", "line cooking"]),
            ("serve beverages", ["serving drinks", "bar work", "bartending"]),
            ("serve beers", ["pulling pints", "serving beer", "cask ale"]),
            ("prepare hot drinks", ["barista", "making coffee", "coffee machine"]),
            ("serve food in table service", ["waiting tables", "table service", "waitressing"]),
            (
                "take food and beverage orders from customers",
                ["taking orders", "order taking", "EPOS orders"],
            ),
            ("greet guests", ["meeting and greeting", "front of house", "welcoming customers"]),
            ("wash the dishes", ["washing up", "pot washing", "KP"]),
            (
                "ensure cleanliness of food preparation area",
                ["kitchen cleaning", "deep clean kitchen", "clean as you go"],
            ),
            ("food allergies", ["allergen awareness", "allergens", "Natasha's Law"]),
            (
                "work in a hospitality team",
                ["hospitality team", "working in a busy kitchen", "front of house team"],
            ),
            ("operate cash register", ["till", "EPOS", "cash handling"]),
        ],
        "essential": ["Food Hygiene Level 2"],
        "requires_driving_licence_share": 0.03,
        "contract_mix": {
            "permanent": 0.50,
            "fixed_term": 0.08,
            "temporary": 0.08,
            "zero_hours": 0.30,
            "apprenticeship": 0.04,
        },
        "hourly_wage": [12.71, 14.00],
        "hours": [8, 40],
        "remote_share": 0.0,
    },
    {
        "key": "cleaning",
        "name": "Cleaning and housekeeping",
        "vacancy_share": 0.06,
        "seeker_share": 0.07,
        "titles": [
            "Cleaner",
            "Office Cleaner",
            "Contract Cleaner",
            "Cleaning Operative",
            "Domestic Assistant",
            "Housekeeper",
            "School Cleaner",
            "Cleaning Supervisor",
        ],
        "employer_names": [
            "Pennine Sparkle Cleaning Ltd",
            "Dearne Commercial Cleaning",
            "Hoyland Hygiene Services",
            "Wombwell Office Cleaning",
            "Royston Facilities Management",
            "Darton Domestic Cleaners",
            "Cawthorne Contract Cleaning",
            "Goldthorpe School Cleaning Services",
            "Penistone Housekeeping Co",
            "Cudworth Clean Team",
            "Wentworth Facilities Services",
            "Dodworth Industrial Cleaning",
            "Monk Bretton Cleaning Co",
        ],
        "skills": [
            ("conduct cleaning tasks", ["cleaning", "general cleaning", "commercial cleaning"]),
            (
                "handle chemical cleaning agents",
                ["cleaning chemicals", "using chemicals safely", "dilution"],
            ),
            (
                "follow control of substances hazardous to health procedures",
                ["COSHH", "COSHH trained", "COSHH awareness"],
            ),
            ("vacuum surfaces", ["hoovering", "vacuuming", "using a hoover"]),
            ("clean building floors", ["mopping", "floor cleaning", "sweeping and mopping"]),
            (
                "operate floor cleaning equipment",
                ["scrubber dryer", "floor buffer", "floor polisher"],
            ),
            (
                "maintain the cleanliness of the toilet facilities",
                ["toilet cleaning", "washrooms", "cleaning toilets"],
            ),
            (
                "restock toilet facilities' supplies",
                ["restocking washrooms", "refilling soap and paper"],
            ),
            ("clean rooms", ["room cleaning", "housekeeping", "cleaning bedrooms"]),
            (
                "clean public areas",
                ["communal areas", "public area cleaning", "corridors and stairs"],
            ),
            ("make the beds", ["bed making", "changing beds", "making beds"]),
            ("dispose of non-hazardous waste", ["emptying bins", "waste disposal", "recycling"]),
            (
                "cleaning industry health and safety measures",
                ["cleaning health and safety", "safe cleaning practices", "wet floor signs"],
            ),
            (
                "maintain inventory of cleaning supplies",
                ["ordering cleaning supplies", "stock of cleaning products"],
            ),
        ],
        "essential": [
            "conduct cleaning tasks",
            "follow control of substances hazardous to health procedures",
        ],
        "requires_driving_licence_share": 0.20,
        "contract_mix": {
            "permanent": 0.62,
            "fixed_term": 0.05,
            "temporary": 0.10,
            "zero_hours": 0.22,
            "apprenticeship": 0.01,
        },
        "hourly_wage": [12.71, 13.50],
        "hours": [8, 30],
        "remote_share": 0.0,
    },
    {
        "key": "security",
        "name": "Security",
        "vacancy_share": 0.04,
        "seeker_share": 0.04,
        "titles": [
            "Security Officer",
            "Security Guard",
            "Door Supervisor",
            "Mobile Patrol Officer",
            "CCTV Operator",
            "Retail Security Officer",
            "Night Security Officer",
        ],
        "employer_names": [
            "Pennine Guarding Ltd",
            "Dearne Security Services",
            "Wentworth Door Supervision",
            "Hoyland Mobile Patrols",
            "Royston CCTV Monitoring",
            "Darton Event Security",
            "Wombwell Keyholding Services",
            "Cawthorne Protective Services",
            "Goldthorpe Site Security",
            "Penistone Security Solutions",
            "Tankersley Gatehouse Security",
            "Cudworth Retail Security",
            "Stainborough Security Group",
        ],
        "skills": [
            (
                "SIA Security Guarding licence",
                ["SIA licence", "SIA badge", "security guard licence"],
            ),
            (
                "SIA Door Supervisor licence",
                ["door supervisor badge", "SIA DS", "door supervisor licence"],
            ),
            ("Emergency First Aid at Work", ["first aid", "EFAW", "emergency first aid"]),
            ("patrol areas", ["patrols", "site patrols", "foot patrols"]),
            (
                "monitor surveillance equipment",
                ["CCTV monitoring", "monitoring cameras", "control room"],
            ),
            ("CCTV", ["CCTV", "CCTV operation", "public space surveillance"]),
            (
                "deal with aggressive behaviour",
                ["dealing with aggression", "handling difficult people"],
            ),
            (
                "apply conflict management",
                ["conflict management", "de-escalation", "conflict resolution"],
            ),
            (
                "write security reports",
                ["report writing", "security reports", "daily occurrence book"],
            ),
            (
                "create incident reports",
                ["incident reports", "incident reporting", "logging incidents"],
            ),
            ("perform body searches", ["searching", "bag searches", "body searches"]),
            ("operate two-way radio systems", ["radio", "two-way radio", "radio procedure"]),
            (
                "respond to burglar alarm systems",
                ["alarm response", "keyholding", "responding to alarms"],
            ),
            ("prevent theft", ["loss prevention", "store detective", "theft prevention"]),
            (
                "ensure public safety and security",
                ["public safety", "keeping people safe", "crowd safety"],
            ),
        ],
        "essential": ["SIA Security Guarding licence"],
        "requires_driving_licence_share": 0.35,
        "contract_mix": {
            "permanent": 0.60,
            "fixed_term": 0.05,
            "temporary": 0.15,
            "zero_hours": 0.19,
            "apprenticeship": 0.01,
        },
        "hourly_wage": [12.71, 14.50],
        "hours": [24, 48],
        "remote_share": 0.0,
    },
    {
        "key": "manufacturing",
        "name": "Manufacturing and food production",
        "vacancy_share": 0.08,
        "seeker_share": 0.07,
        "titles": [
            "Production Operative",
            "Food Production Operative",
            "Machine Operator",
            "Engineering Operative",
            "Assembly Operative",
            "Packing Operative",
            "Quality Inspector",
            "MIG Welder",
        ],
        "employer_names": [
            "Pennine Precision Engineering",
            "Dearne Foods Ltd",
            "Hoyland Fabrications Ltd",
            "Royston Packaging Ltd",
            "Darton Bakery Products",
            "Cawthorne Confectionery",
            "Goldthorpe Plastics Ltd",
            "Penistone Steel Components",
            "Cudworth Ready Meals Ltd",
            "Dodworth Engineering Works",
            "Tankersley Print & Packaging",
            "Grimethorpe Metal Finishing",
            "Wentworth Furniture Makers",
            "Shafton Chilled Foods",
        ],
        "skills": [
            (
                "monitor the production line",
                ["production line", "line work", "production operative"],
            ),
            ("work in assembly line teams", ["assembly line", "line team", "assembly work"]),
            (
                "check quality of products on the production line",
                ["quality checks", "QC", "checking products"],
            ),
            (
                "monitor machine operations",
                ["machine operating", "machine minding", "running machines"],
            ),
            (
                "work in conveyor belts in food manufacturing",
                ["food production line", "conveyor line", "food factory"],
            ),
            ("apply GMP", ["GMP", "good manufacturing practice", "food factory hygiene"]),
            ("Food Hygiene Level 2", ["food hygiene level 2", "food safety certificate"]),
            (
                "set up equipment for food production",
                ["machine setting", "line set-up", "changeovers"],
            ),
            ("use packaging equipment", ["packing machine", "packing", "labelling machine"]),
            ("use measurement instruments", ["callipers", "micrometers", "measuring parts"]),
            ("read engineering drawings", ["engineering drawings", "reading technical drawings"]),
            ("perform metal inert gas welding", ["MIG welding", "MIG", "welding"]),
            ("wear appropriate protective gear", ["PPE", "wearing PPE", "safety footwear"]),
            (
                "ensure health and safety in manufacturing",
                ["factory health and safety", "safe systems of work"],
            ),
            (
                "record production data for quality control",
                ["production records", "batch records", "QC paperwork"],
            ),
            ("continuous improvement philosophies", ["lean", "5S", "continuous improvement"]),
        ],
        "essential": ["monitor the production line", "wear appropriate protective gear"],
        "requires_driving_licence_share": 0.10,
        "contract_mix": {
            "permanent": 0.60,
            "fixed_term": 0.08,
            "temporary": 0.22,
            "zero_hours": 0.02,
            "apprenticeship": 0.08,
        },
        "hourly_wage": [12.71, 17.50],
        "hours": [30, 42],
        "remote_share": 0.0,
    },
]


# ---------------------------------------------------------------------------
# Taxonomy loading and exact-match resolution
# ---------------------------------------------------------------------------


class ResolutionError(Exception):
    pass


def _key(text: str) -> str:
    return text.strip().casefold()


class Taxonomy:
    """Exact, case-insensitive label lookup over ESCO v1.1.1 and the UK licences list."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}  # id -> preferred label
        self.tiers: list[tuple[str, dict[str, set[str]]]] = []

        esco_pref: dict[str, set[str]] = defaultdict(set)
        with gzip.open(ESCO_SKILLS, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                sid = f"esco:{row['id']}"
                self.labels[sid] = row["preferred_label"]
                esco_pref[_key(row["preferred_label"])].add(sid)

        esco_alt: dict[str, set[str]] = defaultdict(set)
        with gzip.open(ESCO_ALT_LABELS, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                esco_alt[_key(row["alt_label"])].add(f"esco:{row['id']}")

        uk_label: dict[str, set[str]] = defaultdict(set)
        uk_alt: dict[str, set[str]] = defaultdict(set)
        with open(UK_LICENCES, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                lid = row["id"]
                self.labels[lid] = row["label"]
                uk_label[_key(row["label"])].add(lid)
                for alt in (row.get("alt_labels") or "").split("|"):
                    if alt.strip():
                        uk_alt[_key(alt)].add(lid)

        self.tiers = [
            ("UK licence label", uk_label),
            ("ESCO preferred label", esco_pref),
            ("UK licence alt label", uk_alt),
            ("ESCO alt label", esco_alt),
        ]

    def resolve(self, phrase: str) -> tuple[str, str]:
        """Return (id, tier name) for ``phrase`` or raise ResolutionError."""
        k = _key(phrase)
        for tier_name, index in self.tiers:
            ids = index.get(k)
            if not ids:
                continue
            if len(ids) > 1:
                names = ", ".join(f"{i} ({self.labels.get(i, '?')})" for i in sorted(ids))
                raise ResolutionError(f"{phrase!r} is ambiguous as a {tier_name}: {names}")
            return next(iter(ids)), tier_name
        raise ResolutionError(f"{phrase!r} matches no ESCO or UK licence label exactly")


# ---------------------------------------------------------------------------
# Building and validation
# ---------------------------------------------------------------------------


def _resolve_skills(
    tax: Taxonomy, entries: list[tuple[str, list[str]]], where: str, errors: list[str]
) -> tuple[list[dict], dict[str, str]]:
    out: list[dict] = []
    by_phrase: dict[str, str] = {}
    seen: set[str] = set()
    for phrase, typed in entries:
        try:
            sid, _tier = tax.resolve(phrase)
        except ResolutionError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if sid in seen:
            errors.append(f"{where}: {phrase!r} resolves to {sid}, which is already listed")
            continue
        seen.add(sid)
        by_phrase[_key(phrase)] = sid
        out.append({"id": sid, "label": tax.labels[sid], "typed": list(typed)})
    return out, by_phrase


# What the job involves, a sentence each, as a Barnsley advert would say it: demo vacancies
# describe themselves with a few of these, and some demo jobseekers write about past work in
# the same words. Hand-written for the demo.
DUTIES: dict[str, list[str]] = {
    "care": [
        "Supporting older people at home with washing, dressing and meals.",
        "Helping residents move safely using hoists and slide sheets.",
        "Prompting and recording medication on the evening round.",
        "Keeping daily notes and care plans up to date.",
        "Spending time with residents who have dementia, keeping them company.",
        "Driving between calls in the Dearne Valley with mileage paid.",
    ],
    "nursing": [
        "Taking observations and escalating changes to the nurse in charge.",
        "Helping patients with personal care and eating on a busy ward.",
        "Taking blood samples and recording results accurately.",
        "Admitting and discharging patients with the nursing team.",
        "Keeping the clinic room stocked and clean.",
        "Supporting people with wound care and pressure area checks.",
    ],
    "warehouse": [
        "Picking and packing customer orders with a handheld scanner.",
        "Loading and unloading lorries in the goods-in yard.",
        "Driving a counterbalance forklift to put away pallets.",
        "Checking stock and counting cycles accurately.",
        "Wrapping pallets and labelling them for dispatch.",
        "Keeping the warehouse floor tidy and safe.",
    ],
    "retail": [
        "Serving customers on the tills and handling cash.",
        "Filling shelves and rotating stock in the chiller aisle.",
        "Helping customers find products and answering their questions.",
        "Cashing up at the end of the shift.",
        "Picking online orders for click and collect.",
        "Setting up promotions and price changes.",
    ],
    "driving": [
        "Delivering parcels on a multi-drop route around Barnsley.",
        "Driving a 7.5 tonne lorry to stores across South Yorkshire.",
        "Loading the van in route order before setting off.",
        "Carrying out daily vehicle checks and reporting defects.",
        "Getting signatures and photos on a handheld device at each drop.",
        "Driving a minibus for a day centre's clients.",
    ],
    "construction": [
        "Labouring on a housing site: moving materials and keeping the site clear.",
        "Laying bricks and blocks on new-build houses.",
        "Plastering and rendering walls.",
        "Digging footings and laying drainage with the groundworks team.",
        "Putting up and taking down scaffolding safely.",
        "Fitting kitchens and doors as a second-fix joiner.",
    ],
    "admin": [
        "Answering the phone and taking messages for the team.",
        "Entering orders and invoices onto the computer system.",
        "Keeping filing and records in order.",
        "Booking appointments and greeting visitors at reception.",
        "Writing letters and emails using Microsoft Word and Outlook.",
        "Keeping spreadsheets of stock and costs in Excel.",
    ],
    "hospitality": [
        "Making coffees and serving customers in a busy cafe.",
        "Preparing food and cooking breakfasts in the kitchen.",
        "Washing pots and keeping the kitchen clean as a kitchen porter.",
        "Serving drinks behind the bar and changing barrels.",
        "Taking orders and serving tables in the restaurant.",
        "Cleaning and setting up the dining room.",
    ],
    "cleaning": [
        "Cleaning offices in the early morning before staff arrive.",
        "Deep cleaning kitchens and toilets to a high standard.",
        "Using a floor scrubber and buffer in a large building.",
        "Emptying bins and replacing toilet rolls and soap.",
        "Cleaning wards and bed spaces in the hospital.",
        "Using cleaning chemicals safely following COSHH rules.",
    ],
    "security": [
        "Patrolling the site at night and checking doors are locked.",
        "Watching the CCTV screens and reporting incidents.",
        "Checking visitors in and out at the gatehouse.",
        "Working the door at a town centre bar at weekends.",
        "Keeping the store safe and stopping shoplifting.",
        "Writing incident reports after each shift.",
    ],
    "manufacturing": [
        "Working on the production line packing food products.",
        "Setting and running CNC machines to drawings.",
        "Carrying out quality checks on finished parts.",
        "Welding steel frames in the fabrication shop.",
        "Operating machines and keeping them clean between runs.",
        "Following health and safety and hygiene rules on the factory floor.",
    ],
}


def build(tax: Taxonomy) -> dict:
    errors: list[str] = []

    common, _ = _resolve_skills(tax, COMMON_SKILLS, "common_skills", errors)

    sectors_out: list[dict] = []
    for spec in SECTORS:
        where = f"sector {spec['key']}"
        skills, by_phrase = _resolve_skills(tax, spec["skills"], where, errors)
        essential: list[str] = []
        for phrase in spec["essential"]:
            sid = by_phrase.get(_key(phrase))
            if sid is None:
                errors.append(
                    f"{where}: essential {phrase!r} is not one of the sector's resolved skills"
                )
            else:
                essential.append(sid)
        sectors_out.append(
            {
                "key": spec["key"],
                "name": spec["name"],
                "vacancy_share": spec["vacancy_share"],
                "seeker_share": spec["seeker_share"],
                "titles": list(spec["titles"]),
                "duties": list(DUTIES[spec["key"]]),
                "employer_names": list(spec["employer_names"]),
                "skills": skills,
                "essential": essential,
                "requires_driving_licence_share": spec["requires_driving_licence_share"],
                "contract_mix": dict(spec["contract_mix"]),
                "hourly_wage": list(spec["hourly_wage"]),
                "hours": list(spec["hours"]),
                "remote_share": spec["remote_share"],
            }
        )

    if errors:
        raise SystemExit("Could not resolve the demo sector spec:\n  " + "\n  ".join(errors))

    data = {
        "about": ABOUT,
        "attribution": ATTRIBUTION,
        "esco_version": "1.1.1",
        "generated_by": "scripts/derive_demo_sectors.py",
        "national_living_wage_2026": NATIONAL_LIVING_WAGE_2026,
        "common_skills": common,
        "sectors": sectors_out,
    }
    problems = validate(data, tax)
    if problems:
        raise SystemExit("Demo sector spec failed validation:\n  " + "\n  ".join(problems))
    return data


def _share(x: object) -> bool:
    return isinstance(x, (int, float)) and 0.0 <= float(x) <= 1.0


def _check_typed(skill: dict, where: str, problems: list[str]) -> None:
    typed = skill.get("typed")
    if (
        not isinstance(typed, list)
        or not 2 <= len(typed) <= 3
        or not all(isinstance(t, str) and t for t in typed)
    ):
        problems.append(f"{where}: {skill.get('id')} needs 2-3 non-empty 'typed' strings")


def validate(data: dict, tax: Taxonomy) -> list[str]:
    """Return a list of problems with ``data`` (empty when it is valid)."""
    problems: list[str] = []
    if next(iter(data)) != "about":
        problems.append("'about' must be the first key")

    common = data["common_skills"]
    if not 6 <= len(common) <= 10:
        problems.append(f"common_skills has {len(common)} entries (want 6-10)")
    for skill in common:
        if skill["id"] not in tax.labels or tax.labels[skill["id"]] != skill["label"]:
            problems.append(f"common_skills: unknown id or wrong label {skill['id']}")
        _check_typed(skill, "common_skills", problems)

    sectors = data["sectors"]
    keys = [s["key"] for s in sectors]
    required = {
        "care", "nursing", "warehouse", "retail", "driving", "construction",
        "admin", "hospitality", "cleaning", "security", "manufacturing",
    }  # fmt: skip
    if missing := required - set(keys):
        problems.append(f"missing sectors: {sorted(missing)}")
    if len(keys) != len(set(keys)):
        problems.append("duplicate sector keys")

    for field in ("vacancy_share", "seeker_share"):
        total = sum(s[field] for s in sectors)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(f"{field} sums to {total!r}, not 1.0")

    all_employers: list[str] = []
    for s in sectors:
        where = f"sector {s['key']}"
        for field in (
            "vacancy_share",
            "seeker_share",
            "requires_driving_licence_share",
            "remote_share",
        ):
            if not _share(s[field]):
                problems.append(f"{where}: {field} {s[field]!r} is not in [0, 1]")
        if not 5 <= len(s["titles"]) <= 8:
            problems.append(f"{where}: {len(s['titles'])} titles (want 5-8)")
        if not 12 <= len(s["employer_names"]) <= 16:
            problems.append(f"{where}: {len(s['employer_names'])} employer names (want 12-16)")
        all_employers.extend(s["employer_names"])
        if not 10 <= len(s["skills"]) <= 16:
            problems.append(f"{where}: {len(s['skills'])} skills (want 10-16)")
        ids = [k["id"] for k in s["skills"]]
        if len(ids) != len(set(ids)):
            problems.append(f"{where}: duplicate skill ids")
        for skill in s["skills"]:
            if skill["id"] not in tax.labels:
                problems.append(f"{where}: unknown id {skill['id']}")
            elif tax.labels[skill["id"]] != skill["label"]:
                problems.append(f"{where}: label for {skill['id']} is not the preferred label")
            _check_typed(skill, where, problems)
        if not 1 <= len(s["essential"]) <= 3 or not set(s["essential"]) <= set(ids):
            problems.append(f"{where}: essential must be 1-3 of the sector's skill ids")
        mix = s["contract_mix"]
        if set(mix) != set(CONTRACT_TYPES):
            problems.append(f"{where}: contract_mix keys {sorted(mix)} != {sorted(CONTRACT_TYPES)}")
        elif (
            not all(_share(v) for v in mix.values())
            or abs(sum(mix.values()) - 1.0) > SHARE_TOLERANCE
        ):
            problems.append(f"{where}: contract_mix shares must be in [0, 1] and sum to 1.0")
        low, high = s["hourly_wage"]
        if not NATIONAL_LIVING_WAGE_2026 <= low <= high:
            problems.append(f"{where}: hourly_wage {s['hourly_wage']} below NLW or out of order")
        h_low, h_high = s["hours"]
        if not 8 <= h_low <= h_high <= 48:
            problems.append(f"{where}: hours {s['hours']} outside 8..48 or out of order")
        if s["key"] != "admin" and s["remote_share"] != 0:
            problems.append(f"{where}: only admin may have remote vacancies")
    if len(all_employers) != len(set(all_employers)):
        problems.append("employer names repeat across sectors")
    return problems


def render(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed JSON is out of date"
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT.relative_to(ROOT)}"
    )
    args = parser.parse_args(argv)

    tax = Taxonomy()
    text = render(build(tax))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(
                f"{args.output} is out of date; run scripts/derive_demo_sectors.py", file=sys.stderr
            )
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    data = json.loads(text)
    counts = ", ".join(f"{s['key']}={len(s['skills'])}" for s in data["sectors"])
    print(f"wrote {args.output} ({len(data['sectors'])} sectors; skills: {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
