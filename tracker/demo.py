"""Demo data: the handreiking's case — preventing bullying in a neighbourhood.

A youth nurse of the GGD notices that bullying in her neighbourhood is far above average. With
the school social worker she invites the GP and the neighbourhood officer; an epidemiologist of
the GGD supports; GGZ and welfare join later. Phase 1 is done with a go decision, phase 2 is
under way, owners sit at all three layers. A second trajectory with its own lead shows that
members of one trajectory see nothing of another.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tracker.auth.services import create_user
from tracker.decisions.services import DecisionDraft, record_decision
from tracker.extensions import db
from tracker.members.services import add_member
from tracker.models import (
    ActionSource,
    Cadence,
    Color,
    DecisionKind,
    DecisionOutcome,
    ItemStatus,
    Layer,
    Membership,
    Movement,
    Organisation,
    Role,
    Sector,
    User,
)
from tracker.security import DEMO_PASSWORD
from tracker.trajectories import services as trajectory_services

DEMO_DOMAIN = "demo.betersamen.nl"

ORGANISATIONS = {
    "ggd": ("GGD Midden-Stad", Sector.GGD_JGZ),
    "school": ("Rivierencollege", Sector.ONDERWIJS),
    "huisarts": ("Huisartsenpraktijk De Linde", Sector.HUISARTS),
    "politie": ("Politie basisteam Midden-Stad", Sector.POLITIE),
    "gemeente": ("Gemeente Midden-Stad", Sector.GEMEENTE),
    "ggz": ("GGZ Rivierenland", Sector.GGZ),
    "welzijn": ("Welzijn Midden-Stad", Sector.WELZIJN),
}

# key: (name, email local part, organisation, layer, role, what they do)
PEOPLE = {
    "anouk": ("Anouk de Vries", "anouk", "ggd", Layer.UITVOEREND, Role.PROJECTLEIDER, "jeugdverpleegkundige"),
    "fatima": (
        "Fatima El Amrani",
        "fatima",
        "school",
        Layer.UITVOEREND,
        Role.TEAMLID,
        "schoolmaatschappelijk werker",
    ),
    "jeroen": ("Jeroen Smit", "jeroen", "huisarts", Layer.UITVOEREND, Role.TEAMLID, "huisarts"),
    "sandra": ("Sandra Mulder", "sandra", "politie", Layer.UITVOEREND, Role.TEAMLID, "wijkregisseur"),
    "pieter": ("Pieter Bakker", "pieter", "ggd", Layer.UITVOEREND, Role.TEAMLID, "epidemioloog"),
    "marieke": ("Marieke Jansen", "marieke", "ggd", Layer.MANAGEMENT, Role.MANAGER, "manager JGZ"),
    "karin": ("Karin Bos", "karin", "gemeente", Layer.MANAGEMENT, Role.MANAGER, "beleidsadviseur jeugd"),
    "henk": ("Henk Visser", "henk", "ggd", Layer.BESTUUR, Role.TEAMLID, "directeur publieke gezondheid"),
    "tom": ("Tom Hendriks", "tom", "gemeente", Layer.BESTUUR, Role.MEEKIJKER, "wethouder jeugd"),
    "lisa": ("Lisa Meijer", "lisa", "ggz", Layer.UITVOEREND, Role.TEAMLID, "GGZ-behandelaar jeugd"),
    "youssef": ("Youssef Amrani", "youssef", "welzijn", Layer.UITVOEREND, Role.TEAMLID, "jongerenwerker"),
}

OTHER_LEAD = ("Ruud Kok", "ruud", "Gezond gewicht Oosterpark")
ADMIN = ("Beheerder Demo", "beheer")

# Phase 1 answers (section code → list of (owner key, accountable layer, answer)), in item order.
PHASE1 = {
    "1a": [
        (
            "anouk",
            Layer.UITVOEREND,
            "Pesten in de Rivierenwijk terugdringen en voorkomen, zodat "
            "kinderen er veilig en gezond opgroeien.",
        ),
        (
            "anouk",
            Layer.UITVOEREND,
            "Ja: SMW, huisarts en wijkregisseur herkennen het probleem en willen samen optrekken.",
        ),
        ("pieter", Layer.UITVOEREND, "Kinderen van 12 tot 16 jaar in de Rivierenwijk en hun ouders."),
        (
            "fatima",
            Layer.UITVOEREND,
            "Gedeeltelijk: leerlingen willen dat het stopt; ouders voelen zich nog niet gehoord.",
        ),
        (
            "fatima",
            Layer.UITVOEREND,
            "Goed: korte lijnen tussen JGZ en school. Niet goed: "
            "iedereen werkt vanuit het eigen domein, weinig afstemming.",
        ),
        (
            "anouk",
            Layer.UITVOEREND,
            "Ouders vragen om steun bij opvoeden en om veilige plekken voor jongeren na schooltijd.",
        ),
        (
            "pieter",
            Layer.UITVOEREND,
            "De JGZ-richtlijn Pesten en het schoolprotocol; er is geen "
            "gezamenlijke, multidisciplinaire aanpak.",
        ),
        (
            "fatima",
            Layer.UITVOEREND,
            "De school werkt met het protocol; de andere partners kennen het nauwelijks.",
        ),
        (
            "karin",
            Layer.MANAGEMENT,
            "Pesten is een speerpunt van het gemeentelijk jeugdbeleid voor komend jaar.",
        ),
        (
            "anouk",
            Layer.UITVOEREND,
            "Lessen sociale veiligheid op school, jongerenwerk, spreekuur JGZ; lokaal aanbod is versnipperd.",
        ),
        (
            "marieke",
            Layer.MANAGEMENT,
            "Uit de reguliere budgetten; de gemeente stelt extra middelen beschikbaar vanwege de ernst.",
        ),
        (
            "karin",
            Layer.MANAGEMENT,
            "De gemeente vraagt de GGD actie te ondernemen; de zorgverzekeraar heeft geen specifieke wensen.",
        ),
        (
            "marieke",
            Layer.MANAGEMENT,
            "Kans: extra middelen en betrokken professionals. Bedreiging: "
            "domeindiscussies en bekostigingsregels.",
        ),
        ("sandra", Layer.UITVOEREND, "JGZ, school en SMW, huisarts, politie, welzijn en GGZ."),
        ("anouk", Layer.UITVOEREND, "Eerst SMW, huisarts en wijkregisseur; later GGZ en welzijn."),
        ("anouk", Layer.UITVOEREND, "Met de school en het SMW werken we al samen."),
        ("anouk", Layer.UITVOEREND, "Meer met huisarts, politie en welzijn."),
        (
            "marieke",
            Layer.MANAGEMENT,
            "Losse voorlichtingsactiviteiten afbouwen; gezamenlijke casuïstiekbespreking toevoegen.",
        ),
        (
            "pieter",
            Layer.UITVOEREND,
            "Minder meldingen van pesten, eerder signaleren en minder sociale en emotionele problemen.",
        ),
        (
            "henk",
            Layer.BESTUUR,
            "Verantwoordelijkheid en verbinden zijn nog zwak; vertrouwen tussen de professionals groeit.",
        ),
    ],
    "1b": [
        (
            "marieke",
            Layer.MANAGEMENT,
            "Gespreksvaardigheden met jongeren, kennis van groepsdynamiek en van de sociale kaart.",
        ),
        ("marieke", Layer.MANAGEMENT, "Twee jeugdverpleegkundigen, een jeugdarts en de epidemioloog."),
        ("marieke", Layer.MANAGEMENT, "HBO en WO; gemotiveerd en klantgericht."),
        ("anouk", Layer.UITVOEREND, "Signaleren gaat goed, opvolging minder; daarover is consensus."),
        (
            "henk",
            Layer.BESTUUR,
            "Preventie in de wijk is onderdeel van de GGD-strategie; samenwerking past daarbinnen.",
        ),
        ("anouk", Layer.UITVOEREND, "Samen eerder signaleren en gericht ingrijpen bij pesten."),
        (
            "marieke",
            Layer.MANAGEMENT,
            "Ja: de jeugdverpleegkundige met pesten als aandachtsgebied is de trekker.",
        ),
        (
            "anouk",
            Layer.UITVOEREND,
            "Kennis van de gezondheid van de jeugd in de wijk en toegang tot gezinnen.",
        ),
        ("pieter", Layer.UITVOEREND, "Vooral onze eigen mening; de partners bevestigen het ten dele."),
        (
            "anouk",
            Layer.UITVOEREND,
            "Voor kinderen en ouders: samenhangende hulp; voor partners: gedeelde informatie.",
        ),
        (
            "marieke",
            Layer.MANAGEMENT,
            "Ongeveer 8 uur per week voor de trekker plus ondersteuning door de epidemioloog.",
        ),
        (
            "henk",
            Layer.BESTUUR,
            "Intern is er vertrouwen en vrijheid voor professionals; verantwoordelijkheid "
            "ligt nog bij één persoon.",
        ),
    ],
}


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def state() -> str:
    """'empty', 'loaded' (the demo is there) or 'other-data'."""
    if db.session.scalar(sa.select(User.id).where(User.email == _email("anouk"))):
        return "loaded"
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return "other-data"
    return "empty"


def logins() -> list[tuple[str, str, str]]:
    rows = [(_email(ADMIN[1]), ADMIN[0], "beheerder")]
    rows += [(_email(p[1]), p[0], f"{p[5]}, {p[4].value}, laag {p[3].value}") for p in PEOPLE.values()]
    rows.append(
        (_email(OTHER_LEAD[1]), OTHER_LEAD[0], f"projectleider van ‘{OTHER_LEAD[2]}’ (buitenstaander)")
    )
    return rows


def print_logins(echo) -> None:
    echo(f"Demo-logins (wachtwoord voor iedereen: {DEMO_PASSWORD}):")
    for email, name, what in logins():
        echo(f"  {email:<36} {name} — {what}")


def load(today: date | None = None) -> None:
    today = today or date.today()
    start = today - timedelta(days=150)

    create_user(_email(ADMIN[1]), ADMIN[0], DEMO_PASSWORD, is_admin=True, check_policy=False)
    orgs = {}
    for key, (name, sector) in ORGANISATIONS.items():
        orgs[key] = Organisation(name=name, sector=sector)
        db.session.add(orgs[key])
    users = {
        key: create_user(_email(p[1]), p[0], DEMO_PASSWORD, check_policy=False) for key, p in PEOPLE.items()
    }

    trajectory = trajectory_services.create_trajectory(
        trajectory_services.TrajectoryDetails(
            name="Preventie van pesten in de Rivierenwijk",
            theme="Preventie van pesten",
            target_groups="Kinderen van 12 tot 16 jaar in de Rivierenwijk en hun ouders",
            area="Gemeente Midden-Stad, Rivierenwijk",
            start_date=start,
            focus_layer=Layer.UITVOEREND,
        ),
        creator=users["anouk"],
        organisation=orgs["ggd"],
        layer=Layer.UITVOEREND,
    )
    members: dict[str, Membership] = {"anouk": trajectory.memberships[0]}
    for key, (_name, _local, org, layer, role, _what) in PEOPLE.items():
        if key != "anouk":
            members[key] = add_member(trajectory, users[key], orgs[org], layer, role)

    sections = {s.code: s for phase in trajectory.phases for s in phase.sections}
    for code, answers in PHASE1.items():
        for item, (owner, layer, answer) in zip(sections[code].items, answers, strict=True):
            item.owner = members[owner]
            item.accountable_layer = layer
            item.answer = answer
            item.status = ItemStatus.AFGEROND
            item.due_date = start + timedelta(days=45)

    # Phase 2: under way. Network analysis mostly done, meetings partly, some overdue.
    phase2 = [
        (
            "2a",
            0,
            "anouk",
            Layer.UITVOEREND,
            ItemStatus.AFGEROND,
            -40,
            "JGZ, SMW, huisarts, wijkregisseur; daarna GGZ en welzijn.",
        ),
        (
            "2a",
            1,
            "pieter",
            Layer.UITVOEREND,
            ItemStatus.AFGEROND,
            -40,
            "Ieder helpt vanuit het eigen domein; weinig afstemming.",
        ),
        (
            "2a",
            2,
            "anouk",
            Layer.UITVOEREND,
            ItemStatus.AFGEROND,
            -35,
            "Ja, in grote lijnen: er ligt een stevig probleem dat eerder toe- dan afneemt.",
        ),
        (
            "2a",
            3,
            "karin",
            Layer.MANAGEMENT,
            ItemStatus.IN_BEHANDELING,
            -5,
            "Gemeente wil wijkgericht werken; bekostiging nog onduidelijk.",
        ),
        ("2a", 4, "marieke", Layer.MANAGEMENT, ItemStatus.IN_BEHANDELING, 10, ""),
        ("2a", 5, "henk", Layer.BESTUUR, ItemStatus.OPEN, 20, ""),
        ("2a", 6, "sandra", Layer.UITVOEREND, ItemStatus.OPEN, -3, ""),
        (
            "2b",
            0,
            "anouk",
            Layer.UITVOEREND,
            ItemStatus.AFGEROND,
            -60,
            "Eerste overleg met SMW, huisarts en wijkregisseur; tweede met de epidemioloog.",
        ),
        (
            "2b",
            1,
            "fatima",
            Layer.UITVOEREND,
            ItemStatus.IN_BEHANDELING,
            7,
            "Volgende bijeenkomst: eerst per laag, daarna gemengd.",
        ),
        ("2b", 2, "marieke", Layer.MANAGEMENT, ItemStatus.OPEN, 14, ""),
        ("2b", 3, "henk", Layer.BESTUUR, ItemStatus.OPEN, 30, ""),
    ]
    for code, index, owner, layer, status, due, answer in phase2:
        item = sections[code].items[index]
        item.owner, item.accountable_layer, item.status = members[owner], layer, status
        item.due_date, item.answer = today + timedelta(days=due), answer
    # Phases 3 and 4: a few owners and dates planned ahead.
    for code, index, owner, layer, due in [
        ("3", 0, "lisa", Layer.UITVOEREND, 45),
        ("3", 1, "youssef", Layer.UITVOEREND, 45),
        ("3", 3, "fatima", Layer.UITVOEREND, 60),
        ("4", 1, "karin", Layer.MANAGEMENT, 120),
        ("4", 6, "henk", Layer.BESTUUR, 150),
    ]:
        item = sections[code].items[index]
        item.owner, item.accountable_layer, item.due_date = members[owner], layer, today + timedelta(days=due)

    record_decision(
        trajectory,
        DecisionKind.PHASE1,
        DecisionDraft(
            outcome=DecisionOutcome.GO,
            decided_on=start + timedelta(days=50),
            decided_by="Jeugdverpleegkundige, SMW, huisarts en wijkregisseur (eerste overleg)",
            rationale="Het aantal gevallen van pesten is significant hoger dan het landelijk gemiddelde; "
            "iedere deelnemer is het erover eens dat dit nooit door één organisatie alleen "
            "opgepakt kan worden.",
            shared_vision="Gezond en veilig opgroeien in de Rivierenwijk vraagt een "
            "gezamenlijke aanpak vanuit "
            "ouders en kinderen, niet vanuit het eigen aanbod.",
            shared_ambition="Is er een causaal verband tussen het hoge aantal kinderen dat zegt "
            "gepest te worden "
            "en de toename van sociale en emotionele problemen in deze wijk? Zo ja, "
            "wat is nodig en hoe kunnen we "
            "hierop adequaat interveniëren?",
        ),
        by=users["anouk"],
    )
    reflections = {
        "ouder_kind_centraal": (
            Movement.PARTLY,
            "We praten nog vaak óver jongeren; ouders willen we eerder betrekken.",
        ),
        "intern_op_orde": (Movement.YES, "Binnen de GGD zijn taken en tijd voor de trekker vastgelegd."),
        "klik": (Movement.YES, "De eerste overleggen waren open en energiek."),
        "geen_tussendoortje": (Movement.PARTLY, "Voor de huisarts is tijd vrijmaken lastig."),
        "vijf_v": (
            Movement.NOT_YET,
            "Nog niet samen besproken; staat op de agenda van de volgende bijeenkomst.",
        ),
    }
    for reflection in trajectory.reflections:
        reflection.movement, reflection.note = reflections[reflection.aspect_key]

    _load_plans(trajectory, members, sections, today)
    _load_evaluations(trajectory, members, today)
    _load_network(trajectory, members, orgs, start, today)

    # A second trajectory whose lead is an outsider to the first.
    ruud = create_user(_email(OTHER_LEAD[1]), OTHER_LEAD[0], DEMO_PASSWORD, check_policy=False)
    trajectory_services.create_trajectory(
        trajectory_services.TrajectoryDetails(
            name=OTHER_LEAD[2],
            theme="Gezond gewicht",
            target_groups="Kinderen van 4 tot 12 jaar in Oosterpark",
            area="Gemeente Midden-Stad, Oosterpark",
            start_date=today - timedelta(days=20),
            focus_layer=Layer.MANAGEMENT,
        ),
        creator=ruud,
        organisation=orgs["gemeente"],
        layer=Layer.MANAGEMENT,
    )
    db.session.flush()


def _load_plans(trajectory, members, sections, today: date) -> None:
    """Phase 4 in motion: an external plan in its second cycle (in Check), internal plans for the
    GGD and the school, milestones in every state and actions at every layer, some overdue."""
    from tracker.models import ActDecision, Cycle, PdcaStage
    from tracker.plans import services as plans

    def d(days: int) -> date:
        return today + timedelta(days=days)

    external = plans.create_plan(
        trajectory,
        {
            "kind": "extern",
            "organisation_id": "",
            "responsible_id": str(members["anouk"].id),
            "status": "actief",
            "purpose": "De samenwerking rond pesten in de Rivierenwijk uitvoeren: "
            "samen signaleren, de jongeren en "
            "hun ouders bereiken en de wijkaandachtsfunctionarissen ondersteunen.",
            "cycle_start": d(-120),
            "cycle_end": d(-31),
        },
    )
    first = external.cycles[0]
    first.plan_text = "Bevindingen van huisarts, SMW, wijkregisseur en GGD bijeenbrengen."
    first.do_text = "Dossieranalyse, meldingen van drie jaar en schoolonderzoeken verzameld en besproken."
    first.check_text = (
        "De meldingen richten zich op een select groepje van 10 tot 15 jongeren van 12 tot 16 jaar."
    )
    first.act_text = "Doorgaan met GGZ en welzijn erbij; contact leggen met de jongerengroep."
    first.act_decision, first.stage = ActDecision.DOORGAAN, PdcaStage.ACT
    first.closed_at = utcnow_days_ago(31)
    second = Cycle(
        plan=external,
        number=2,
        start_date=d(-30),
        end_date=d(60),
        stage=PdcaStage.CHECK,
        plan_text="Contact met de jongeren via jeugdverpleegkundige en SMW; wijkaandachtsfunctionarissen "
        "inzetten.",
        do_text="Eerste gesprekken gevoerd; de jongeren blijken te rappen en zoeken een eigen ruimte.",
        check_text="Ouders zijn goed op de hoogte en gemotiveerd; aannames over de ouders kloppen niet.",
    )
    db.session.add(second)
    db.session.flush()

    ggd = plans.create_plan(
        trajectory,
        {
            "kind": "intern",
            "organisation_id": str(members["anouk"].organisation_id),
            "responsible_id": str(members["marieke"].id),
            "status": "actief",
            "purpose": "Binnen de GGD: tijd voor de trekker, scholing in gespreksvoering met jongeren, "
            "opvoedspreekuur in de wijk.",
            "cycle_start": d(-30),
            "cycle_end": d(60),
        },
    )
    ggd.cycles[0].stage = PdcaStage.DO
    school = plans.create_plan(
        trajectory,
        {
            "kind": "intern",
            "organisation_id": str(members["fatima"].organisation_id),
            "responsible_id": str(members["fatima"].id),
            "status": "actief",
            "purpose": "Binnen de school: meldingen eenduidig registreren en de ‘bekostigingshobbel’ "
            "van het SMW oplossen.",
            "cycle_start": d(-30),
            "cycle_end": d(60),
        },
    )

    achieved = plans.create_milestone(
        trajectory,
        external,
        {
            "title": "Gezamenlijke probleemanalyse vastgesteld",
            "target_date": d(-40),
            "expected_result": "Een gedeeld beeld van de groep en de problemen",
            "achieved_on": d(-45),
            "actual_result": "Werkhypothese en vraagstelling door alle partners onderschreven.",
        },
    )
    late = plans.create_milestone(
        trajectory,
        external,
        {
            "title": "Eigen ruimte voor de jongeren geregeld",
            "target_date": d(-5),
            "expected_result": "Een plek waar de jongeren ’s avonds terecht kunnen",
        },
    )
    risk = plans.create_milestone(
        trajectory,
        external,
        {
            "title": "Twee wijkaandachtsfunctionarissen aan de slag",
            "target_date": d(10),
            "expected_result": "Twee personen met een brede opdracht, bekostigd uit innovatiegelden",
        },
    )
    on_track = plans.create_milestone(
        trajectory,
        ggd,
        {
            "title": "Opvoedspreekuur in de wijk gestart",
            "target_date": d(45),
            "expected_result": "Wekelijks spreekuur van de GGD in de wijk",
        },
    )

    def act(plan, owner, title, due, status, stage="do", milestone=None, result="", **extra):
        action = plans.create_action(
            trajectory,
            plan,
            {
                "title": title,
                "owner_id": str(members[owner].id),
                "due_date": d(due) if due is not None else None,
                "status": status,
                "stage": stage,
                "milestone_id": str(milestone.id) if milestone else "",
                "result": result,
            },
            source=extra.get("source"),
        )
        return action

    carried = act(external, "sandra", "Meldingen en verbalisanten op dit thema inventariseren", -8, "bezig")
    carried.carried_from = first
    analysis = act(
        external,
        "jeroen",
        "Dossieranalyse en casuïstiek uit de praktijk",
        -50,
        "gereed",
        "check",
        achieved,
        "Twaalf casussen geanalyseerd.",
    )
    analysis.cycle = first  # finished in the first cycle, so it stayed there
    act(
        external,
        "youssef",
        "Gesprek met energiebedrijf over het transformatorhuisje",
        -3,
        "geblokkeerd",
        "do",
        late,
    )
    act(
        external,
        "henk",
        "Innovatiegelden vrijmaken voor de wijkaandachtsfunctionarissen",
        7,
        "bezig",
        "do",
        risk,
    )
    act(
        external,
        "karin",
        "Opdracht wijkaandachtsfunctionarissen met de gemeente afstemmen",
        12,
        "gepland",
        "plan",
        risk,
    )
    act(external, "fatima", "Contact leggen met de jongerengroep", -12, "bezig", "do")
    act(external, "lisa", "GGZ-consultatie voor de betrokken gezinnen organiseren", 20, "gepland", "plan")
    act(
        external,
        "anouk",
        "Netwerkbijeenkomst per laag voorbereiden",
        14,
        "gepland",
        "plan",
        source=(ActionSource.CHECKLIST_ITEM, sections["2b"].items[1].id),
    )
    act(ggd, "marieke", "Scholing gespreksvoering met jongeren inplannen", 30, "gepland", "plan", on_track)
    act(
        ggd,
        "pieter",
        "Schoolonderzoeksgegevens per wijk beschikbaar maken",
        -20,
        "gereed",
        "do",
        None,
        "Factsheet per wijk opgeleverd.",
    )
    act(ggd, "henk", "Bestuurlijk akkoord op inzet trekker (8 uur per week)", -2, "bezig", "do")
    act(school, "fatima", "Registratie van pestmeldingen eenduidig maken", 25, "bezig", "do")
    act(school, "karin", "Bekostiging SMW-verrichtingen bespreken met de instelling", -1, "gepland", "plan")


def utcnow_days_ago(days: int):
    from tracker.models import utcnow

    return utcnow() - timedelta(days=days)


def _load_evaluations(trajectory, members, today: date) -> None:
    """A quarterly schedule with three closed rounds showing movement (most factors improving,
    trust getting worse), an open round with the first votes, and red cards with and without an
    action."""
    from tracker.evaluations import services as evaluations
    from tracker.plans import services as plans

    open_since = today - timedelta(days=5)
    schedule = evaluations.save_schedule(
        trajectory,
        evaluations.ScheduleSettings(
            framework="ksf",
            cadence=Cadence.KWARTAAL,
            first_date=evaluations.add_months(open_since, -9),
            open_days=14,
            remind_days_before=3,
        ),
    )
    planned = evaluations.planned_rounds(schedule, today)
    voters = ["anouk", "fatima", "jeroen", "marieke", "karin", "henk"]
    # Per round, per factor: the cards of the six voters (g/o/r), in voter order.
    cards = [
        {
            "visie_doelen": "oorooo",
            "durf": "gooogo",
            "interdependentie": "ogoooo",
            "domeinconsensus": "rrooro",
            "elkaar_kennen": "ooroor",
            "onderhandelingsvermogen": "oooooo",
            "middelen": "rrorrr",
            "structuur": "rroroo",
            "methodisch": "ooorro",
            "vertrouwen": "gggogg",
            "klimaat": "gogggo",
            "evalueren": "rroooo",
        },
        {
            "visie_doelen": "ggoogo",
            "durf": "ggogog",
            "interdependentie": "gggoog",
            "domeinconsensus": "oogoro",
            "elkaar_kennen": "googgo",
            "onderhandelingsvermogen": "googoo",
            "middelen": "rrorro",
            "structuur": "ooogoo",
            "methodisch": "oogoog",
            "vertrouwen": "ggoogo",
            "klimaat": "gggggo",
            "evalueren": "oogooo",
        },
        {
            "visie_doelen": "gggggo",
            "durf": "gggggg",
            "interdependentie": "gggggo",
            "domeinconsensus": "ggogog",
            "elkaar_kennen": "ggggog",
            "onderhandelingsvermogen": "ggoggo",
            "middelen": "rorrog",
            "structuur": "ggogog",
            "methodisch": "gggoog",
            "vertrouwen": "ororro",
            "klimaat": "ggggog",
            "evalueren": "gggogg",
        },
    ]
    colour = {"g": Color.GROEN, "o": Color.ORANJE, "r": Color.ROOD}
    comments = {
        ("middelen", "marieke"): "Geen structurele financiering voor de wijkaandachtsfunctionarissen.",
        ("vertrouwen", "fatima"): "De discussie over ‘verrichtingen’ heeft het vertrouwen geschaad.",
        ("vertrouwen", "henk"): "Bestuurlijk loopt het goed; op de werkvloer minder.",
    }
    rounds = []
    for index, plan in enumerate(planned[-4:]):
        evaluation_round = evaluations.materialise(schedule, plan)
        db.session.flush()
        rounds.append(evaluation_round)
        if index < 3:
            for position, voter in enumerate(voters):
                choice = {
                    key: (colour[row[position]], comments.get((key, voter), "") if index == 2 else "")
                    for key, row in cards[index].items()
                }
                evaluations.cast_ballot(evaluation_round, members[voter], choice)
        else:  # the open round: the first two members have voted
            for voter in ("anouk", "karin"):
                evaluations.cast_ballot(
                    evaluation_round,
                    members[voter],
                    {key: (Color.GROEN, "") for key in cards[2]} | {"vertrouwen": (Color.ORANJE, "")},
                )
    # A red card with an action (means), one still without (trust).
    external = next(p for p in plans.plans_of(trajectory) if p.kind.value == "extern")
    action = plans.create_action(
        trajectory,
        external,
        {
            "title": "Structurele bekostiging wijkaandachtsfunctionarissen agenderen bij de besturen",
            "owner_id": str(members["marieke"].id),
            "due_date": today + timedelta(days=21),
            "status": "bezig",
            "stage": "do",
        },
        source=(ActionSource.RED_CARD, rounds[2].id),
    )
    action.source_key = "middelen"
    db.session.flush()


def _load_network(trajectory, members, orgs, start: date, today: date) -> None:
    """The case's network table, its four meetings with their agreements, the client path with
    the gaps it found, the shared ambition, and one ambition workshop."""
    from tracker.models import NetworkPartner, Perception, ProcessStep, Relation, Workshop
    from tracker.network import services as network

    partners = [
        (
            "school",
            "Signaleert op school; SMW begeleidt leerlingen en ouders",
            "Een veilig schoolklimaat",
            Perception.JA,
            "Meer samenwerking met de wijk",
            Relation.FORMEEL,
            "fatima",
        ),
        (
            "huisarts",
            "Ziet gezinnen met sociale en emotionele klachten",
            "Eerder doorverwijzen",
            Perception.JA,
            "Praktijkondersteuner jeugd",
            Relation.INFORMEEL,
            "jeroen",
        ),
        (
            "politie",
            "Meldingen en verbalisanten in de wijk",
            "Minder overlast en geweld",
            Perception.DEELS,
            "Wijkgericht werken",
            Relation.INFORMEEL,
            "sandra",
        ),
        (
            "gemeente",
            "Speerpunt pesten, extra middelen",
            "Gezond en veilig opgroeien",
            Perception.JA,
            "Sturen op resultaat",
            Relation.FORMEEL,
            "karin",
        ),
        (
            "ggz",
            "Behandeling bij ernstige problematiek",
            "Vroeg betrokken zijn",
            Perception.DEELS,
            "Consultatie in de wijk",
            Relation.INFORMEEL,
            "lisa",
        ),
        (
            "welzijn",
            "Kent de groep jongeren; activiteiten gestaakt",
            "Een eigen plek voor de jongeren",
            Perception.NEE,
            "Opbouwwerk met bewoners",
            Relation.INFORMEEL,
            "youssef",
        ),
    ]
    for org, contribution, partner_ambition, perception, direction, relation, contact in partners:
        db.session.add(
            NetworkPartner(
                trajectory_id=trajectory.id,
                organisation_id=orgs[org].id,
                contribution=contribution,
                ambition=partner_ambition,
                perception=perception,
                direction=direction,
                relation=relation,
                contact_id=members[contact].id,
            )
        )

    meetings = [
        (
            start + timedelta(days=10),
            "GGD-kantoor Rivierenwijk",
            "Van gedachten wisselen over de problemen, oorzaken, gevolgen en mogelijkheden.",
            ["anouk", "fatima", "jeroen", "sandra"],
            "",
            "Gezamenlijke vraagstelling: is er een causaal verband tussen het hoge aantal kinderen dat zegt "
            "gepest te worden en de toename "
            "van sociale en emotionele problemen in deze wijk?",
            [
                (
                    "De huisarts doet binnen zijn praktijk een dossier analyse en verzamelt "
                    "casuïstiek op dit thema",
                    "jeroen",
                    30,
                ),
                ("De SMW bestudeert de meldingen van de afgelopen 3 jaar binnen haar school", "fatima", 30),
                ("De wijkregisseur inventariseert de meldingen en verbalisanten op dit thema", "sandra", 30),
                (
                    "De jeugdverpleegkundige vraagt via haar GGD bevindingen op uit school "
                    "onderzoeken in het recente verleden",
                    "anouk",
                    30,
                ),
            ],
        ),
        (
            start + timedelta(days=40),
            "Buurthuis De Brug",
            "De verzamelde informatie bespreken en eerste conclusies trekken.",
            ["anouk", "fatima", "jeroen", "sandra", "pieter"],
            "",
            "De meldingen richten zich op een select groepje van 10 tot 15 jongeren van 12 tot 16 jaar; "
            "afstemming is nodig.",
            [
                (
                    "Bespreken met de eigen collega’s en een vervolgbijeenkomst organiseren, met GGZ erbij",
                    "anouk",
                    55,
                )
            ],
        ),
        (
            start + timedelta(days=70),
            "Buurthuis De Brug",
            "Procesanalyse met GGZ, welzijn en een docent.",
            ["anouk", "fatima", "jeroen", "sandra", "pieter", "lisa", "youssef"],
            "Ilse de Wit; Rivierencollege; uitvoerend",
            "Uitgangspunten: uitgaan van de klant, respect tonen, niet óver de klant praten maar mét, "
            "uitgaan van mogelijkheden.",
            [("Contact leggen met de jongerengroep", "fatima", 100)],
        ),
        (
            start + timedelta(days=110),
            "Stadskantoor",
            "Nieuwe inzichten bespreken; taken, rollen en verantwoordelijkheden.",
            ["anouk", "fatima", "marieke", "karin", "henk", "pieter", "youssef"],
            "",
            "Iedereen brengt de ‘bekostigingshobbel’ in de eigen organisatie in; de lagen "
            "informeren elkaar directer.",
            [
                (
                    "De ‘bekostigingshobbel’ in de eigen organisatie inbrengen en mogelijkheden nagaan",
                    "marieke",
                    20,
                )
            ],
        ),
        (
            today + timedelta(days=21),
            "Transformatorhuisje",
            "Vervolgbijeenkomst: eerst per laag, dan gemengd.",
            [],
            "",
            "",
            [],
        ),
    ]
    for held_on, place, purpose, present, guests, mixed, agreements in meetings:
        meeting = network.save_meeting(
            trajectory,
            None,
            {
                "held_on": held_on,
                "place": place,
                "purpose": purpose,
                "outcome_mixed": mixed,
                "attendee_ids": [str(members[k].id) for k in present],
                "guests": guests,
            },
        )
        for text, owner, due in agreements:
            network.add_agreement(
                trajectory,
                meeting,
                {"text": text, "owner_id": str(members[owner].id), "due_date": held_on + timedelta(days=due)},
            )
    steps = [
        (
            "Signalering",
            "Leerkracht, jeugdverpleegkundige of wijkagent ziet pestgedrag",
            ["school", "ggd", "politie"],
            {"overlap": True},
            "Drie partijen signaleren los van elkaar; niemand bundelt de signalen.",
            "Eén meldpunt in de wijk; de jeugdverpleegkundige bundelt.",
        ),
        (
            "Toeleiding",
            "Gesprek met ouders en kind; verwijzing",
            ["school", "huisarts"],
            {"handover": True},
            "Overdracht van school naar huisarts hapert: ouders worden niet teruggebeld.",
            "Warme overdracht met een vaste contactpersoon.",
        ),
        (
            "Hulp",
            "Begeleiding van het kind en de ouders",
            ["ggz", "welzijn"],
            {"waiting": True},
            "Wachttijd bij de GGZ van zes weken.",
            "Consultatie door de GGZ in de wijk.",
        ),
        (
            "Nazorg",
            "Volgen of het pesten stopt en het kind zich veilig voelt",
            [],
            {"gap": True},
            "Niemand is verantwoordelijk voor de nazorg.",
            "Afspraak wie de nazorg doet: de SMW.",
        ),
    ]
    for position, (title, function, org_keys, flags, bottleneck, solution) in enumerate(steps, start=1):
        step = ProcessStep(
            trajectory_id=trajectory.id,
            position=position,
            title=title,
            function=function,
            bottleneck=bottleneck,
            solution=solution,
            **flags,
        )
        step.organisations = [orgs[k] for k in org_keys]
        db.session.add(step)
    trajectory.client_goals = "deels"
    trajectory.client_goals_note = (
        "Ouders zijn goed op de hoogte en gemotiveerd; veiligheid en zingeving zijn voor hen "
        "de belangrijkste onderwerpen."
    )

    ambition = network.save_ambition(
        trajectory,
        None,
        {
            "title": "Veilig opgroeien in de Rivierenwijk",
            "result_kind": "probleem",
            "result": "Minder kinderen van 12 tot 16 jaar worden gepest, en zij die "
            "gepest worden krijgen snel passende hulp.",
            "active": True,
        },
    )
    for text in (
        "Het aantal pestmeldingen op school is in 2027 gehalveerd",
        "Elke melding krijgt binnen twee weken een warme overdracht",
    ):
        network.add_objective(ambition, text)
    second = network.save_ambition(
        trajectory,
        None,
        {
            "title": "Een eigen plek voor de jongeren",
            "result_kind": "beschermende_factor",
            "result": "De jongeren hebben een veilige plek en volwassenen die zij vertrouwen.",
            "active": True,
        },
    )
    network.add_objective(
        second, "De jongeren kunnen twee avonden per week terecht in het transformatorhuisje"
    )

    workshop = Workshop(
        trajectory_id=trajectory.id, held_on=start + timedelta(days=80), title="Taart van ambities"
    )
    db.session.add(workshop)
    db.session.flush()
    session = [
        (
            "anouk",
            "trekker",
            6,
            [
                ("goed", "Korte lijnen met school"),
                ("beter", "Ouders zitten niet aan tafel"),
                ("ambitie", "Geen kind voelt zich onveilig in de wijk"),
            ],
            "Ouders uitnodigen voor de volgende bijeenkomst",
        ),
        (
            "fatima",
            "schoolmaatschappelijk werk",
            5,
            [("beter", "Bekostiging van verrichtingen remt"), ("idee", "Rapsessies als ingang")],
            "Gesprek met de directie over tijd voor de wijk",
        ),
        (
            "jeroen",
            "huisarts",
            6,
            [("doen_we_al", "Spreekuur jeugd op donderdag"), ("ambitie", "Eerder weten wat er speelt")],
            "Praktijkondersteuner jeugd vragen voor het overleg",
        ),
        (
            "youssef",
            "jongerenwerk",
            7,
            [("goed", "De groep kent mij"), ("idee", "Een eigen plek voor de jongeren")],
            "Bewoners vragen mee te bouwen aan het huisje",
        ),
    ]
    for key, role, grade, notes, first_step in session:
        participant = network.add_participant(workshop, members[key].id, role)
        for category, text in notes:
            note = network.add_note(workshop, participant.id, category, text)
            if "plek" in text or "veilig" in text.lower():
                note.ambition_id = second.id if "plek" in text else ambition.id
        network.save_participant(trajectory, participant, grade, first_step)
    db.session.flush()
