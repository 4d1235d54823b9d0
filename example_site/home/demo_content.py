"""Demo texts of the example site in Finnish, Swedish and English (written for this project)."""

from tyonohjaus_plugin.pages.blocks import list_block_data

ETHICS_URL = "https://www.suomentyonohjaajat.fi/"

HOME = {
    "fi": {
        "title": "Intranet",
        "intro": "Tervetuloa intranetiin. Täältä löydät henkilöstön palvelut.",
    },
    "sv": {
        "title": "Intranät",
        "intro": "Välkommen till intranätet. Här hittar du personalens tjänster.",
    },
    "en": {
        "title": "Intranet",
        "intro": "Welcome to the intranet. Here you find the staff services.",
    },
}

PROVIDER = {
    "fi": {
        "name": "Henkilöstöpalvelut",
        "description": "Tuemme työhyvinvointia ja osaamisen kehittämistä koko organisaatiossa.",
    },
    "sv": {
        "name": "Personaltjänster",
        "description": "Vi stöder välbefinnande i arbetet och kompetensutveckling "
        "i hela organisationen.",
    },
    "en": {
        "name": "HR Services",
        "description": "We support wellbeing at work and professional development "
        "across the organisation.",
    },
}
PROVIDER_CONTACT = {"email": "henkilostopalvelut@example.org", "phone": "+358 29 123 4567"}


def _service(
    title,
    slug,
    lead,
    intro,
    goals_heading,
    goals,
    method_heading,
    method,
    facts_heading,
    facts,
    who_heading,
    who,
    confidential,
    ethics_link,
    apply_heading,
    apply,
):
    return {
        "title": title,
        "slug": slug,
        "lead": lead,
        "body": [
            {"type": "paragraph", "value": f"<p>{intro}</p>"},
            {"type": "heading", "value": {"text": goals_heading, "level": "h2"}},
            {"type": "bullet_list", "value": {"intro": "", "items": list_block_data(goals)}},
            {"type": "heading", "value": {"text": method_heading, "level": "h2"}},
            {"type": "paragraph", "value": f"<p>{method}</p>"},
            {
                "type": "facts",
                "value": {
                    "heading": facts_heading,
                    "facts": list_block_data(
                        {"label": label, "value": value} for label, value in facts
                    ),
                },
            },
            {"type": "heading", "value": {"text": who_heading, "level": "h2"}},
            {"type": "paragraph", "value": f"<p>{who}</p>"},
            {"type": "notice", "value": {"kind": "important", "text": f"<p>{confidential}</p>"}},
            {
                "type": "external_link",
                "value": {"url": ETHICS_URL, "text": ethics_link, "description": ""},
            },
            {"type": "heading", "value": {"text": apply_heading, "level": "h2"}},
            {"type": "paragraph", "value": f"<p>{apply}</p>"},
        ],
    }


SERVICE = {
    "fi": _service(
        title="Työnohjaus",
        slug="tyonohjaus",
        lead="Työnohjauksessa pysähdyt oman työsi äärelle ja kehität sitä yhdessä koulutetun "
        "työnohjaajan kanssa luottamuksellisesti. Palvelu on avoin kaikille työntekijöille "
        "tehtävänimikkeestä riippumatta.",
        intro="Työnohjauksesta on hyötyä esimerkiksi silloin, kun aloitat uudessa tehtävässä, "
        "työyhteisössäsi eletään muutosta tai haluat katsoa työtäsi uudesta kulmasta.",
        goals_heading="Mihin työnohjaus voi auttaa?",
        goals=[
            "jaksamaan ja onnistumaan työssä",
            "vapauttamaan voimia, joita hankalat asiat sitovat",
            "löytämään uusia näkökulmia",
            "jäsentämään muutoksessa elävää työnkuvaa",
            "selvittämään ristiriitoja",
            "hallitsemaan ajankäyttöä",
            "kasvamaan ammatillisesti",
        ],
        method_heading="Miten työnohjaus etenee?",
        method="Työnohjaus on ratkaisukeskeistä keskustelua. Tapaamisissa voidaan käsitellä "
        "sovittuja teemoja, osallistujien omia työtilanteita tai molempia. Tavoitteet sovitaan "
        "yhdessä heti alussa.",
        facts_heading="Lyhyesti",
        facts=[
            ("Muoto", "Yksin, 2–4 hengen ryhmässä tai koko tiiminä"),
            ("Tapaamisväli", "Noin kolme viikkoa"),
            ("Tapaamiset", "3–5 kertaa, 1–1,5 tuntia kerrallaan"),
        ],
        who_heading="Kuka ohjaa?",
        who="Ohjaajina toimivat organisaation omat asiantuntijat, joilla on työnohjaajan "
        "koulutus. Tarvittaessa ohjaajaksi valitaan kokenut ulkopuolinen työnohjaaja.",
        confidential="Kaikki työnohjauksessa käsitelty on luottamuksellista. Ohjaajat "
        "noudattavat Suomen työnohjaajat ry:n eettisiä periaatteita.",
        ethics_link="Suomen työnohjaajat ry:n eettiset periaatteet",
        apply_heading="Näin haet",
        apply="Hakemukset otetaan vastaan lomakkeella hakukierroksilla, jotka avautuvat kaksi "
        "kertaa vuodessa. Kiireellisessä tilanteessa voit hakea myös kierrosten välillä. "
        "Lomakkeella kerrot, haetko yksilö-, ryhmä- vai tiimiohjausta.",
    ),
    "sv": _service(
        title="Arbetshandledning",
        slug="arbetshandledning",
        lead="I arbetshandledning stannar du upp inför ditt arbete och utvecklar det i "
        "förtroende tillsammans med en utbildad handledare. Tjänsten är öppen för alla "
        "anställda oavsett befattning.",
        intro="Handledning är till nytta till exempel när du börjar i en ny roll, när din "
        "arbetsgemenskap genomgår en förändring eller när du vill se ditt arbete "
        "från ett nytt håll.",
        goals_heading="Vad kan handledning hjälpa med?",
        goals=[
            "att orka och lyckas i arbetet",
            "att frigöra krafter som svåra frågor binder",
            "att hitta nya perspektiv",
            "att strukturera en arbetsbild som förändras",
            "att reda ut konflikter",
            "att planera sin tid",
            "att växa i yrkesrollen",
        ],
        method_heading="Hur går handledningen till?",
        method="Handledning är lösningsfokuserade samtal. Träffarna kan utgå från överenskomna "
        "teman, från deltagarnas egna arbetssituationer eller från båda. Målen bestämmer ni "
        "tillsammans redan i början.",
        facts_heading="I korthet",
        facts=[
            ("Form", "Ensam, i en grupp på 2–4 personer eller som hela teamet"),
            ("Intervall", "Ungefär tre veckor"),
            ("Träffar", "3–5 gånger, 1–1,5 timmar åt gången"),
        ],
        who_heading="Vem handleder?",
        who="Handledarna är organisationens egna experter med handledarutbildning. Vid behov "
        "väljs en erfaren extern handledare.",
        confidential="Allt som behandlas i handledningen är konfidentiellt. Handledarna följer "
        "de etiska principerna för Suomen työnohjaajat ry.",
        ethics_link="Etiska principer för Suomen työnohjaajat ry",
        apply_heading="Så ansöker du",
        apply="Ansökningar tas emot med ett formulär i ansökningsomgångar som öppnar två gånger "
        "om året. Vid akut behov kan du söka också mellan omgångarna. I formuläret anger du om "
        "du söker individuell handledning, grupphandledning eller teamhandledning.",
    ),
    "en": _service(
        title="Work supervision",
        slug="work-supervision",
        lead="Work supervision gives you confidential time to step back and develop your work "
        "with a trained supervisor. It is open to every employee, whatever their job title.",
        intro="It helps, for example, when you start in a new role, when your work community is "
        "going through change, or when you want to look at your work from a new angle.",
        goals_heading="What can supervision help with?",
        goals=[
            "coping and succeeding at work",
            "freeing energy that difficult matters tie up",
            "finding new perspectives",
            "giving shape to a job that keeps changing",
            "working through conflicts",
            "managing your time",
            "growing professionally",
        ],
        method_heading="How does it work?",
        method="Supervision is a solution-focused conversation. Meetings can follow agreed "
        "themes, the participants' own work situations, or both. You agree on the goals "
        "together at the start.",
        facts_heading="At a glance",
        facts=[
            ("Format", "On your own, in a group of 2–4, or as a whole team"),
            ("Rhythm", "About every three weeks"),
            ("Meetings", "3–5 meetings of 1–1.5 hours"),
        ],
        who_heading="Who are the supervisors?",
        who="Our own experts who hold a supervisor qualification, or an experienced external "
        "supervisor when needed.",
        confidential="Everything discussed in supervision is confidential. Supervisors follow "
        "the ethical principles of Suomen työnohjaajat ry, the Finnish association of work "
        "supervisors.",
        ethics_link="Ethical principles of Suomen työnohjaajat ry",
        apply_heading="How to apply",
        apply="Applications are collected with a form in rounds that open twice a year. If your "
        "need is urgent, you can also apply between rounds. The form asks whether you want "
        "individual, group or team supervision.",
    ),
}

# username, first name, last name, password, role shown by `make demo`
USERS = [
    ("employee", "Emma", "Virtanen", "employee-demo", "employee (intranet)"),
    ("editor", "Olli", "Laine", "editor-demo", "content editor (admin)"),
    ("hr", "Helena", "Korhonen", "hr-demo", "HR officer (admin)"),
    ("supervisor", "Sami", "Nieminen", "supervisor-demo", "supervisor"),
    ("admin", "Aino", "Mäkinen", "admin-demo", "superuser (admin)"),
    ("hrassistant", "Kirsi", "Lehto", "hrassistant-demo", "HR assistant (no free text)"),
]

# Comments in the demo's earlier feedback answers (no personal data, as the prompt asks).
FEEDBACK_COMMENTS = {
    "fi": [
        "En löytänyt, milloin seuraava hakukierros alkaa.",
        "Olisin halunnut tietää, voiko ohjauksen saada etänä.",
        "Kuinka pitkä yksi tapaaminen on ryhmässä?",
    ],
    "sv": ["Jag hittade inte när nästa ansökningsomgång börjar."],
    "en": ["Can supervision take place online?"],
}

# Colleagues to invite into groups: username, first name, last name, unit code.
COLLEAGUES = [
    ("liisa", "Liisa", "Heikkinen", "H523"),
    ("mikko", "Mikko", "Lehtonen", "H523"),
    ("sanna", "Sanna", "Järvinen", "T200"),
    ("oskar", "Oskar", "Lindqvist", "O310"),
    ("aada", "Aada", "Koskinen", "O310"),
    ("ville", "Ville", "Salo", "T200"),
]
COLLEAGUE_PASSWORD = "colleague-demo"

UNITS = {
    "H100": "Henkilöstöpalvelut",
    "H523": "Kielikeskus",
    "T200": "Tietotekniikkakeskus",
    "O310": "Opettajankoulutuslaitos",
}
USER_UNITS = {"employee": "H523", "hr": "H100", "editor": "H100", "supervisor": "O310"}

THEMES = {
    "fi": ["Muutos työssä", "Uusi rooli", "Esihenkilötyö", "Työyhteisön vuorovaikutus",
           "Ajanhallinta", "Oma jaksaminen"],
    "sv": ["Förändring i arbetet", "Ny roll", "Chefsarbete", "Samspel i arbetsgemenskapen",
           "Tidshantering", "Att orka"],
    "en": ["Change at work", "New role", "Leading people", "Interaction at work",
           "Time management", "Wellbeing at work"],
}  # fmt: skip

PRIVACY_NOTICE = {
    "fi": {
        "title": "Työnohjauksen tietosuojaseloste",
        "body": "<p>Hakemuksesi vapaamuotoiset vastaukset näkevät vain niihin oikeutetut "
        "henkilöstöpalveluiden työntekijät ja sinulle valittu työnohjaaja. Tiedot poistetaan "
        "ohjelman päätyttyä säilytysajan jälkeen. Älä kirjoita hakemukseen terveystietoja.</p>",
    },
    "sv": {
        "title": "Dataskyddsbeskrivning för arbetshandledning",
        "body": "<p>Dina fritt formulerade svar läses bara av behörig personal på "
        "Personaltjänster och av den handledare som väljs för dig. Uppgifterna raderas efter "
        "lagringstiden när programmet har avslutats. Skriv inga hälsouppgifter i ansökan.</p>",
    },
    "en": {
        "title": "Privacy notice for work supervision",
        "body": "<p>Your free-text answers are read only by authorised HR staff and by the "
        "supervisor chosen for you. The data is deleted after the retention period once the "
        "programme has ended. Please do not write health information in the application.</p>",
    },
}

# The supervision agreement's template as the service's editors wrote it (a language without
# one would get the plugin's built-in texts). Finnish is the source; sv and en are its
# wagtail-localize translations.
AGREEMENT_TEMPLATE = {
    "fi": {
        "title": "Työnohjaussopimus",
        "introduction": "Työnohjaus on työaikana tapahtuvaa, luottamuksellista ja tavoitteellista "
        "oman työn tarkastelua. Tämä sopimus kirjataan ensimmäisessä tapaamisessa.",
        "confidentiality": "Tapaamisissa käsitellyt asiat ovat luottamuksellisia: työnohjaaja ei "
        "kerro niistä esihenkilöille eikä henkilöstöpalveluille. Luottamuksellisuudesta "
        "poiketaan vain, jos jonkun turvallisuus on vakavasti uhattuna tai laki sitä vaatii; "
        "työnohjaaja kertoo tästä ensin asianosaisille.",
        "evaluation": "Arvioimme työskentelyä yhdessä puolivälissä ja viimeisessä tapaamisessa "
        "sovittuja tavoitteita vasten. Lopuksi jokainen vastaa nimettömään loppuarviointiin.",
        "cancellation": "Peru tai siirrä tapaaminen viimeistään 24 tuntia ennen sen alkua "
        "ilmoittamalla työnohjaajalle. Myöhemmin peruttu tapaaminen lasketaan pidetyksi.",
    },
    "sv": {
        "title": "Handledningsavtal",
        "introduction": "Arbetshandledning är en konfidentiell och målinriktad granskning av det "
        "egna arbetet under arbetstid. Avtalet skrivs ner på den första träffen.",
        "confidentiality": "Det som tas upp på träffarna är konfidentiellt: handledaren berättar "
        "inget för chefer eller för Personaltjänster. Undantag görs bara om någons säkerhet är "
        "allvarligt hotad eller lagen kräver det; handledaren berättar det först för de "
        "berörda.",
        "evaluation": "Vi utvärderar arbetet tillsammans halvvägs och på den sista träffen mot "
        "de överenskomna målen. Till sist svarar var och en på en anonym slututvärdering.",
        "cancellation": "Avboka eller flytta en träff senast 24 timmar innan den börjar genom "
        "att meddela handledaren. En träff som avbokas senare räknas som hållen.",
    },
    "en": {
        "title": "Work supervision agreement",
        "introduction": "Work supervision is a confidential, goal-oriented look at your own "
        "work during working hours. This agreement is written down in the first meeting.",
        "confidentiality": "What we discuss in the meetings is confidential: the supervisor "
        "tells nothing of it to managers or to HR. The only exceptions are a serious threat to "
        "someone's safety or a legal duty; the supervisor tells the people concerned first.",
        "evaluation": "We evaluate the work together halfway and at the last meeting against "
        "the goals agreed. At the end everyone answers an anonymous end evaluation.",
        "cancellation": "Cancel or move a meeting at least 24 hours before it starts by telling "
        "the supervisor. A meeting cancelled later counts as held.",
    },
}

# Further internal supervisors (the `supervisor` user is one too): username, first name,
# last name, unit code. They log in with SUPERVISOR_PASSWORD.
SUPERVISOR_USERS = [
    ("tuula", "Tuula", "Hakala", "T200"),
    ("johan", "Johan", "Ekström", "H523"),
]
SUPERVISOR_PASSWORD = "supervisor-demo"

# Supervisors. Internal ones are found by username and take their own unit from the user's
# employee profile; external ones are found by e-mail. Themes are indexes into THEMES.
# `round_capacity` is the capacity in the open demo round when it differs from `capacity`,
# `closed_round_capacity` the same in the closed one.
INTERNAL_SUPERVISORS = [
    {
        "username": "supervisor",
        "qualification": "Työnohjaajakoulutus (STOry), 2019",
        "languages": ["fi", "en"],
        "formats": ["individual", "group"],
        "themes": [1, 2, 5],
        "capacity": 2,
        "round_capacity": 3,
        "conflict_unit_codes": ["T200"],
        "conflict_users": ["liisa"],
    },
    {
        "username": "tuula",
        "qualification": "Ratkaisukeskeinen työnohjaaja, 2016",
        "languages": ["fi"],
        "formats": ["individual", "team"],
        "themes": [0, 3],
        "capacity": 2,
        "closed_round_capacity": 3,
    },
    {
        "username": "johan",
        "qualification": "Handledarutbildning, 2021",
        "languages": ["sv", "fi"],
        "formats": ["individual"],
        "themes": [1, 4],
        "capacity": 1,
    },
]

EXTERNAL_SUPERVISORS = [
    {
        "email": "marja.kallio@ohjausverkko.example",
        "name": "Marja Kallio",
        "organisation": "Ohjausverkko Oy",
        "qualification": "Psykoterapeutti ja työnohjaaja",
        "languages": ["fi"],
        "formats": ["individual", "group", "team"],
        "themes": [0, 2, 5],
        "capacity": 4,
        "round_capacity": 6,
        "closed_round_capacity": 5,
        "cost": "140.00",
    },
    {
        "email": "peter.holm@handledning.example",
        "name": "Peter Holm",
        "organisation": "Holm Handledning Ab",
        "qualification": "Certifierad arbetshandledare, 2012",
        "languages": ["sv", "en"],
        "formats": ["individual", "group"],
        "themes": [2, 3],
        "capacity": 3,
        "cost": "150.00",
        "conflict_users": ["mats"],  # they sing in the same choir
    },
    {
        "email": "sarah.wilson@clearview.example",
        "name": "Sarah Wilson",
        "organisation": "Clearview Coaching",
        "qualification": "Accredited supervisor, coaching psychology",
        "languages": ["en"],
        "formats": ["individual"],
        "themes": [1, 4, 5],
        "capacity": 3,
        "cost": "165.00",
    },
    {
        "email": "riikka.vaara@tyoyhteiso.example",
        "name": "Riikka Vaara",
        "organisation": "Työyhteisövalmennus Vaara",
        "qualification": "Työyhteisösovittelija ja työnohjaaja",
        "languages": ["fi", "en"],
        "formats": ["team", "group"],
        "themes": [0, 3],
        "capacity": 2,
        "cost": "180.00",
        # Ran a change programme for the IT centre last year.
        "conflict_unit_codes": ["T200"],
    },
    {
        "email": "antti.salonen@mentorit.example",
        "name": "Antti Salonen",
        "organisation": "Mentorit Oy",
        "qualification": "Johdon työnohjaaja, 2014",
        "languages": ["fi"],
        "formats": ["individual"],
        "themes": [2],
        "capacity": 2,
        "cost": "120.00",
        "conflict_users": ["marko"],  # coached his former team as a consultant
    },
    {
        "email": "eva.lindberg@dialog.example",
        "name": "Eva Lindberg",
        "organisation": "Dialog & Utveckling",
        "qualification": "Legitimerad psykolog, handledare",
        "languages": ["sv", "fi"],
        "formats": ["individual", "team"],
        "themes": [0, 5],
        "capacity": 2,
        "cost": "155.00",
    },
    {
        "email": "noora.heino@tyohyvinvointi.example",
        "name": "Noora Heino",
        "organisation": "Työhyvinvointipalvelu Heino",
        "qualification": "Työnohjaajakoulutus, 2020",
        "languages": ["fi", "sv", "en"],
        "formats": ["group", "team"],
        "themes": [3, 4, 5],
        "capacity": 3,
        "cost": "130.00",
        "conflict_unit_codes": ["H100"],
    },
    {
        "email": "james.okafor@reflect.example",
        "name": "James Okafor",
        "organisation": "Reflect Supervision Ltd",
        "qualification": "Clinical and workplace supervisor",
        "languages": ["en"],
        "formats": ["group"],
        "themes": [1, 3],
        "capacity": 2,
        "cost": "170.00",
    },
    {
        "email": "leena.porkka@ohjaamo.example",
        "name": "Leena Porkka",
        "organisation": "Ohjaamo Osuuskunta",
        "qualification": "Ratkaisukeskeinen työnohjaaja",
        "languages": ["fi"],
        "formats": ["individual", "group"],
        "themes": [0, 1],
        "capacity": 1,
        "cost": "110.00",
        "active": False,  # on leave this spring
    },
]

# The closed demo round, ready for matching. People and texts are invented for the demo.
# Colleagues who applied in it: username, first name, last name, unit code, preferred language.
ROUND_COLLEAGUES = [
    ("anneli", "Anneli", "Rantanen", "O310", "fi"),
    ("jukka", "Jukka", "Mattila", "T200", "fi"),
    ("paivi", "Päivi", "Hiltunen", "H523", "fi"),
    ("tero", "Tero", "Kettunen", "T200", "fi"),
    ("minna", "Minna", "Saarinen", "O310", "fi"),
    ("harri", "Harri", "Turunen", "H100", "fi"),
    ("katja", "Katja", "Väisänen", "H523", "fi"),
    ("janne", "Janne", "Pelkonen", "T200", "fi"),
    ("riitta", "Riitta", "Manninen", "O310", "fi"),
    ("petri", "Petri", "Kokkonen", "H100", "fi"),
    ("satu", "Satu", "Nurmi", "T200", "fi"),
    ("marko", "Marko", "Hyvönen", "O310", "fi"),
    ("tiina", "Tiina", "Laaksonen", "H523", "fi"),
    ("juha", "Juha", "Ahonen", "H100", "fi"),
    ("elina", "Elina", "Räsänen", "T200", "fi"),
    ("kalle", "Kalle", "Heikkilä", "O310", "fi"),
    ("henna", "Henna", "Suominen", "H523", "fi"),
    ("teemu", "Teemu", "Leinonen", "H100", "fi"),
    ("linnea", "Linnea", "Sjöberg", "H523", "sv"),
    ("axel", "Axel", "Forsman", "O310", "sv"),
    ("ebba", "Ebba", "Lindholm", "T200", "sv"),
    ("fredrik", "Fredrik", "Åkerlund", "H100", "sv"),
    ("daniel", "Daniel", "Reed", "T200", "en"),
    ("priya", "Priya", "Nair", "O310", "en"),
    ("lucas", "Lucas", "Moreau", "H523", "en"),
    ("maija", "Maija", "Kinnunen", "O310", "fi"),
    ("sari", "Sari", "Lappalainen", "O310", "fi"),
    ("heidi", "Heidi", "Koivisto", "H523", "fi"),
    ("ari", "Ari", "Pitkänen", "T200", "fi"),
    ("eero", "Eero", "Vainio", "T200", "fi"),
    ("karin", "Karin", "Holmberg", "H523", "sv"),
    ("mats", "Mats", "Nyström", "H100", "sv"),
    ("ida", "Ida", "Wikström", "H523", "sv"),
    ("emily", "Emily", "Carter", "H523", "en"),
    ("olivia", "Olivia", "Grant", "O310", "en"),
    ("outi", "Outi", "Rautio", "H100", "fi"),
    ("jari", "Jari", "Lehtinen", "H100", "fi"),
    ("mervi", "Mervi", "Savolainen", "T200", "fi"),
    ("pekka", "Pekka", "Karjalainen", "H523", "fi"),
    ("sirpa", "Sirpa", "Hämäläinen", "H523", "fi"),
    ("aki", "Aki", "Huttunen", "H523", "fi"),
    ("reetta", "Reetta", "Toivonen", "H523", "fi"),
    ("grace", "Grace", "Mitchell", "T200", "en"),
    ("niklas", "Niklas", "Berg", "H100", "sv"),
    ("aleksi", "Aleksi", "Mäkelä", "T200", "fi"),
]

# Applications of the closed round in the order they arrived: applicant, format, co-applicants
# (all confirmed), languages, themes (indexes into THEMES, in the applicant's order), status,
# situation, goals. The texts are in the applicant's preferred language.
#
# Designed outcomes of matching (capacities: `closed_round_capacity` of the supervisors):
# - karin's Swedish group: Noora Heino (conflict unit H100) cannot take it for mats's unit, and
#   mats is Peter Holm's conflict user, so no one is left ("forbidden_by_hr");
# - grace's English team spans T200 and H100, the conflict units of the only two supervisors who
#   take teams in English ("own_unit_only");
# - marko is Antti Salonen's conflict user, so he goes to someone else;
# - demand exceeds the places, so a few stay waiting with every suitable supervisor full.
CLOSED_ROUND_APPLICATIONS = [
    ("anneli", "individual", [], ["fi"], [1, 5], "in_review",
     "Siirryin syksyllä opettajasta koulutussuunnittelijaksi, ja uusi rooli hakee vielä "
     "muotoaan.",
     "Haluan löytää oman tapani tehdä tätä työtä ja jaksaa kevään kiireet."),
    ("jukka", "individual", [], ["fi"], [0, 4], "submitted",
     "Tiimimme siirtyy uuteen palvelunhallintamalliin, ja omat tehtäväni vaihtuvat kesken "
     "kaiken.",
     "Selkeyttä siihen, mikä on nyt minun vastuullani, ja keinoja priorisoida."),
    ("maija", "group", ["sari", "heidi"], ["fi"], [3, 5], "in_review",
     "Olemme kolmen opettajan ryhmä kahdesta yksiköstä ja suunnittelemme yhteistä "
     "opintojaksoa.",
     "Toimivampi yhteistyö ja yhteinen käsitys siitä, kuka tekee mitä."),
    ("paivi", "individual", [], ["fi", "en"], [2], "submitted",
     "Aloitin kielikeskuksen tiiminvetäjänä, ja esihenkilötyö on minulle uutta.",
     "Varmuutta palautteen antamiseen ja vaikeiden keskustelujen käymiseen."),
    ("linnea", "individual", [], ["sv"], [1, 4], "submitted",
     "Jag har nyss börjat som studieplanerare och lär mig fortfarande hur allt hänger ihop.",
     "Jag vill hitta en rimlig arbetsrytm och känna mig trygg i rollen."),
    ("tero", "individual", [], ["fi"], [4, 0], "submitted",
     "Projekteja on päällekkäin enemmän kuin ennen, ja päivät pirstaloituvat.",
     "Haluan suunnitella viikkoni niin, että myös keskittymistä vaativalle työlle jää aikaa."),
    ("daniel", "individual", [], ["en"], [4, 1], "in_review",
     "I moved from development to coordinating our support team, and my days are full of "
     "interruptions.",
     "To plan my week better and grow into the coordinator role."),
    ("minna", "individual", [], ["fi"], [5, 3], "submitted",
     "Työyhteisössä on ollut pitkään jännitteitä, ja huomaan väsyväni.",
     "Keinoja pitää huolta omista voimavaroista ja ottaa asiat puheeksi suoraan."),
    ("sirpa", "team", ["aki", "reetta"], ["fi"], [3, 0], "in_review",
     "Käännöspalveluiden tiimi muutti monitilaan, eikä meillä ole vielä yhteisiä pelisääntöjä.",
     "Sovitut pelisäännöt ja parempi työrauha koko tiimille."),
    ("harri", "individual", [], ["fi"], [2, 1], "submitted",
     "Minusta tuli organisaatiomuutoksessa kuuden hengen tiimin esihenkilö.",
     "Haluan rakentaa luottamusta tiimissä ja oppia delegoimaan."),
    ("karin", "group", ["mats", "ida"], ["sv"], [3, 2], "submitted",
     "Vi är tre som arbetar med studenttjänster på svenska i två olika enheter.",
     "Vi vill utveckla vårt samarbete och dela erfarenheter av svåra kundsituationer."),
    ("katja", "individual", [], ["fi"], [0], "submitted",
     "Kurssitarjontamme uudistetaan, ja työnkuvani painottuu opetuksesta kehittämiseen.",
     "Ymmärrys siitä, mitä muutos tarkoittaa minulle, ja suunta oman osaamisen kasvulle."),
    ("janne", "individual", [], ["fi", "en"], [1, 4, 5], "in_review",
     "Vaihdoin ohjelmistokehittäjästä arkkitehdiksi, ja kalenteri täyttyy palavereista.",
     "Oman roolin rajaaminen ja aikaa syventymistä vaativalle työlle."),
    ("riitta", "individual", [], ["fi"], [3, 5], "submitted",
     "Ohjaan harjoittelijoita oman opetukseni ohessa, ja yhteistyö kollegoiden kanssa takkuaa.",
     "Sujuvampi vuorovaikutus ja parempi jaksaminen lukukauden loppuun asti."),
    ("axel", "individual", [], ["sv", "fi"], [0, 5], "submitted",
     "Vår utbildning slås ihop med en annan, och det är oklart vad som händer med mina kurser.",
     "Att hantera osäkerheten och orka genom förändringen."),
    ("petri", "individual", [], ["fi"], [4], "submitted",
     "Palkkahallinnon kiireet kasautuvat, ja työtä on vaikea rajata.",
     "Käytännön keinoja ajankäyttöön ja työpäivän päättämiseen ajallaan."),
    ("outi", "group", ["jari", "mervi", "pekka"], ["fi", "en"], [2, 0, 3], "in_review",
     "Olemme neljä tuoretta esihenkilöä eri yksiköistä ja pohdimme samoja kysymyksiä.",
     "Vertaistukea esihenkilötyöhön ja rohkeutta tarttua hankaliin tilanteisiin."),
    ("satu", "individual", [], ["fi"], [5, 0, 2], "submitted",
     "Palasin vanhempainvapaalta, ja moni asia on muuttunut poissaoloni aikana.",
     "Haluan päästä taas kiinni työhön ja löytää oman tahtini."),
    ("priya", "individual", [], ["en"], [5, 3], "submitted",
     "I teach in an English-language programme and often feel left out of the department's "
     "discussions.",
     "To find my place in the work community and keep my energy up."),
    ("marko", "individual", [], ["fi"], [2], "in_review",
     "Vastaan nyt laitoksen hallinnosta ja joudun esihenkilönä tekemään epämieluisia päätöksiä.",
     "Tukea päätöksentekoon ja siihen, miten perustelen ratkaisut henkilöstölle."),
    ("ebba", "individual", [], ["sv"], [3], "submitted",
     "Kommunikationen i vårt team sker mest i chatten, och missförstånd är vanliga.",
     "Jag vill hitta bättre sätt att samarbeta och ge feedback."),
    ("tiina", "individual", [], ["fi"], [1, 3], "submitted",
     "Siirryin opetuksesta koordinaattoriksi, ja olen nyt entisten kollegoideni yhteyshenkilö.",
     "Selkeä rooli suhteessa kollegoihin ja toimivat yhteistyön tavat."),
    ("ari", "group", ["eero"], ["fi"], [0, 3], "submitted",
     "Tiimimme kaksi kokeneinta jäsentä jäi eläkkeelle, ja heidän tehtävänsä jaettiin meille.",
     "Haluamme sopia työnjaosta ja tukea toisiamme muutoksessa."),
    ("juha", "individual", [], ["fi"], [0, 5], "in_review",
     "Rekrytointiprosessimme uudistettiin, ja olen kantanut muutoksesta ison osan.",
     "Haluan jäsentää kokemukseni ja huolehtia, etten uuvu seuraavassa vaiheessa."),
    ("grace", "team", ["niklas", "aleksi"], ["en"], [0, 3], "submitted",
     "Our HR systems project team brings together people from IT and HR, and we work in "
     "English.",
     "To agree on how we make decisions and handle disagreements in the project."),
    ("elina", "individual", [], ["fi"], [4, 1], "submitted",
     "Aloitin tietoturva-asiantuntijana kolme kuukautta sitten.",
     "Opin priorisoimaan pyyntöjä ja kasvan uuteen rooliin."),
    ("fredrik", "individual", [], ["sv", "en"], [2], "submitted",
     "Jag leder ett litet team på distans och känner mig ofta ensam med besluten.",
     "Att stärka mitt ledarskap och bygga förtroende i teamet."),
    ("kalle", "individual", [], ["fi", "sv"], [2, 3], "submitted",
     "Johdan kaksikielistä opettajatiimiä, ja kieliryhmien välille on syntynyt kitkaa.",
     "Yhteinen toimintatapa ja keinoja ottaa ristiriidat puheeksi ajoissa."),
    ("emily", "group", ["olivia"], ["en"], [1, 3], "submitted",
     "We are two international staff members who started this year in different units.",
     "To share experiences and learn how things are done in a Finnish workplace."),
    ("henna", "individual", [], ["fi"], [5], "submitted",
     "Työmäärä on kasvanut tasaisesti, ja ajatukset pyörivät töissä vapaa-ajallakin.",
     "Haluan oppia irrottautumaan työstä ja tunnistamaan omat rajani."),
    ("lucas", "individual", [], ["en", "fi"], [1], "submitted",
     "I started as a language teacher in August and I am still finding my feet.",
     "Clear expectations and a sustainable way of working."),
    ("teemu", "individual", [], ["fi"], [1], "submitted",
     "Aloitin henkilöstöasiantuntijana tammikuussa toisesta organisaatiosta.",
     "Haluan oppia uuden työyhteisön tavat ja löytää paikkani siinä."),
]  # fmt: skip
