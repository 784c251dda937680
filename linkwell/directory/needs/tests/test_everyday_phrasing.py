"""How relatives, people in their own words and frontline staff say a need without its name,
and the words that look like a need but are not one here."""

import pytest

from linkwell.directory.needs import SHOWN_FROM, infer_needs


def shown(text: str, **kwargs) -> set[str]:
    return {n.code for n in infer_needs(text, **kwargs) if n.confidence >= SHOWN_FROM}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Carers rarely call themselves carers.
        ("My wife has MS and I'm doing everything for her", "carers"),
        ("Dad has dementia and Mum does everything for him", "carers"),
        ("I look after my sister, she never gets a break", "carers"),
        # Loneliness in everyday idiom, in the negative forms people use.
        ("Some weeks I don't speak to a soul", "loneliness"),
        ("she hasn't spoken to anyone since her birthday", "loneliness"),
        # Bereavement with regional words for mother.
        ("lost me mam in March and can't get past it", "bereavement"),
        # Scams described, not named.
        ("a man rang, said they were from the bank fraud team", "home_security_scams"),
        ("gave £2k to a caller posing as police", "home_security_scams"),
        # Heating on a prepayment meter.
        ("sat in the dark since Tuesday, can't top up the meter", "fuel_poverty"),
        ("heating the room with the oven door open", "fuel_poverty"),
        # Weight, English, work, in people's own words.
        ("I need to lose a few stone before the op", "physical_activity_weight"),
        ("my english not so good, want to learn", "english_language"),
        ("want to get back to work, maybe my forklift ticket", "employment_skills"),
        # Frontline and GP shorthand.
        ("Paramedic: non-injury fall, third call-out this month", "falls_frailty"),
        ("90F, CFS 6, lives with son", "falls_frailty"),
        ("34F, PND, EPDS 17", "parenting_early_years"),
        ("needs a grab rail and a raised toilet seat", "equipment_adaptations"),
        ("partner controls her money and checks her phone", "domestic_abuse"),
        ("Our lad's been excluded from school, year 10", "youth"),
        ("the house is too big for me now, I want a bungalow", "housing"),
        ("I want to plan what I want when the time comes", "end_of_life"),
    ],
)
def test_a_need_said_in_everyday_words_is_found(text, code):
    assert code in shown(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A GP's "declines X" is no request for X.
        ("Pt declines smoking cessation", "smoking"),
        # "fine for X": X is covered.
        ("Mum says she's fine for food, it's the bills", "food"),
        # Named rehab of the heart or lungs is not drug rehab.
        ("completed cardiac rehab, wants to keep exercising", "alcohol_drugs"),
        # A bully at work is not a youth need; sugars all over the place are not a mood.
        ("signed off with stress, the manager's a bully", "youth"),
        ("sugars all over the place lately", "mental_wellbeing"),
        # A fire service visit that found nothing wrong.
        ("Safe and Well visit: smoke alarms tested and working", "fire_safety"),
        # A baby mentioned in passing is not a parenting need.
        ("the damp is making the baby chesty", "parenting_early_years"),
        # Bereaved by suicide is grief, not the person's own risk.
        ("Bereaved by suicide, wants a peer support group", "mental_wellbeing"),
        # Hooked on a game, not a drug.
        ("he's hooked on gaming", "alcohol_drugs"),
    ],
)
def test_words_that_look_like_a_need_but_are_not_one(text, code):
    assert code not in shown(text)


def test_declines_is_a_negation_not_a_sign_of_decline():
    needs = {n.code: n for n in infer_needs("Declines referral to falls clinic, falls x2")}
    assert "end_of_life" not in needs
    assert needs["falls_frailty"].evidence == ("falls",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Straciłem pracę, nie mam z czego zapłacić czynszu", "money_debt"),
        ("właściciel grozi eksmisją", "housing"),
        ("szukam grupy dla mam z małymi dziećmi", "parenting_early_years"),
        ("میرے شوہر مجھے مارتے ہیں", "domestic_abuse"),
        ("Mera ghar wala mainu maarda ae", "domestic_abuse"),
        ("میں اپنے گھر والے دی سیوا کردی آں", "carers"),
        ("Mainu kam chahida", "employment_skills"),
        ("angrezi nai aundi", "english_language"),
        ("ساڈے گھر وچ دھوئیں والا الارم کوئی نئیں", "fire_safety"),
        ("Bebe ji kalli rehndi ne, koi milan nai aunda", "loneliness"),
    ],
)
def test_polish_urdu_and_punjabi_inflections_and_spellings(text, code):
    assert code in shown(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Polish: the object comes before "nie piję"; "po pracy" is after work; "rzuciłam" is done.
        ("alkoholu nie piję", "alcohol_drugs"),
        ("codziennie po pracy kilka piw", "employment_skills"),
        ("Rzuciłam palenie 5 lat temu", "smoking"),
        ("właściciel grozi eksmisją", "domestic_abuse"),
        # Urdu: "no trouble with breathing, sugar is fine".
        ("سانس کی کوئی تکلیف نہیں، شوگر بھی ٹھیک ہے", "long_term_condition"),
    ],
)
def test_negated_or_idiomatic_words_in_other_languages_are_not_needs(text, code):
    assert code not in shown(text)


def test_grief_explains_a_single_sign_of_low_mood():
    assert shown("Tearful since her husband died") == {"bereavement"}
    weak = {n.code: n for n in infer_needs("Tearful since her husband died")}
    assert 0 < weak["mental_wellbeing"].confidence < SHOWN_FROM


def test_two_signs_of_low_mood_after_a_death_are_a_need_of_their_own():
    assert shown("Since his wife died he is depressed and has suicidal thoughts") == {
        "bereavement",
        "mental_wellbeing",
    }


def test_tearful_alone_is_still_low_mood():
    assert "mental_wellbeing" in shown("very tearful, not sleeping")


def test_a_punjabi_negation_after_for_negates_the_money_not_the_heating():
    # "heating to run, for it, no money": the negation belongs to the money after "for".
    assert "fuel_poverty" in shown("ਘਰ ਬਹੁਤ ਠੰਢਾ ਹੈ, ਹੀਟਿੰਗ ਚਲਾਉਣ ਲਈ ਪੈਸੇ ਨਹੀਂ")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mainu phone chalana nai aunda", "digital_inclusion"),
        ("Mera bhaar bahut vadh gaya ae", "physical_activity_weight"),
        ("Mera munda school nai janda", "youth"),
    ],
)
def test_punjabi_inability_phrases_keep_their_own_negation(text, code):
    assert code in shown(text)


def test_roman_punjabi_is_is_not_a_and_e():
    evidence = [word for n in infer_needs("Ammi thak gayi ae, hun ghar ae") for word in n.evidence]
    assert "ae" not in evidence
    assert "long_term_condition" in shown("went to A&E twice, AE again last night, unwell")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A strong word's stem is shared with an everyday word: "tripped" and a day trip,
        # "mugged" and a mug of tea, "parenting" and "my parents", "training" and the train.
        ("She'd love the coach trips, she's never been one for clubs", "falls_frailty"),
        ("Makes her a mug of tea every morning", "home_security_scams"),
        ("My parents are getting red letters and ignoring them", "parenting_early_years"),
        ("He gets the train into Leeds to see his brother", "employment_skills"),
        ("Of course she would like to go", "employment_skills"),
        ("She depends on her daughter for shopping", "alcohol_drugs"),
        ("Has insulin injections twice a day", "alcohol_drugs"),
        ("Lots of happy memories of the mill", "long_term_condition"),
        ("Had occupational therapy after the stroke", "mental_wellbeing"),
    ],
)
def test_a_word_sharing_a_stem_with_a_signal_is_not_the_signal(text, code):
    assert code not in shown(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tripped on the rug last week", "falls_frailty"),
        ("was mugged outside the shop", "home_security_scams"),
        ("wants help with parenting", "parenting_early_years"),
        ("looking for training to get back into work", "employment_skills"),
        ("alcohol dependency, wants detox", "alcohol_drugs"),
        ("memory problems, forgetful", "long_term_condition"),
    ],
)
def test_the_signal_words_themselves_still_count(text, code):
    assert code in shown(text)


def test_rent_arrears_are_a_money_need_first():
    needs = shown("Housing officer: tenant in rent arrears, struggling with bills")
    assert "money_debt" in needs
    assert "housing" not in shown("we're behind with the rent")


def test_paid_carers_named_as_the_only_visitors_are_not_a_carer_need():
    assert shown("no visitors apart from carers, says she's lonely") == {"loneliness"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dad doesn't understand English very well", "english_language"),
        ("Mum doesn't know how to use the internet well", "digital_inclusion"),
    ],
)
def test_well_after_a_signal_that_says_a_lack_does_not_undo_it(text, code):
    assert code in shown(text)


def test_well_after_a_plain_signal_still_negates_it():
    assert "mental_wellbeing" not in shown("Mood: well")


def test_a_course_alone_is_not_a_work_need_but_a_training_course_is():
    assert "employment_skills" not in shown("She did a course in flower arranging and loved it")
    assert "employment_skills" in shown("wants a training course to get back into work")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The need is implied by the situation, never named.
        ("Dad hasn't been out since the bus stopped running", "loneliness"),
        ("She's stopped answering the door", "loneliness"),
        ("The meter keeps running out", "fuel_poverty"),
        ("He's been sleeping on his brother's sofa", "housing"),
        ("Nithered all winter and the brass dunt stretch", "money_debt"),
        ("Holds on to the furniture to get round the house", "falls_frailty"),
        ("Can't get in or out the bath so has a strip wash at the sink", "equipment_adaptations"),
        ("My dad's new friend online needs money for a plane ticket", "home_security_scams"),
    ],
)
def test_a_situation_that_implies_a_need_finds_it(text, code):
    assert code in shown(text)


def test_a_landlord_changing_the_locks_is_housing_not_home_security():
    needs = shown("The landlord is threatening to change the locks")
    assert "housing" in needs
    assert "home_security_scams" not in needs


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Hearing and sight loss: what helps is kit (a vibrating alarm, a loop), and a fire risk.
        ("He's deaf as a post and can't hear the doorbell any more", "equipment_adaptations"),
        ("Nan can't hear the smoke alarm without her aids in", "fire_safety"),
        ("She's got the hearing aids but they're in the drawer", "equipment_adaptations"),
        ("Macular degeneration, burnt her hand on the cooker twice", "fire_safety"),
        # Living somewhere that is not a home, or being moved on.
        ("He's been living in his car since the split", "housing"),
        ("The council keep moving us on from every lay-by", "housing"),
        ("My cousin's out of prison and kipping on our settee", "housing"),
        ("On release he'll go to approved premises for twelve weeks", "housing"),
        # Money in work and out of it: sick pay ending, hours cut, PIP refused, gambling.
        ("My statutory sick pay ends in a fortnight", "money_debt"),
        ("They've cut my hours at the warehouse again", "money_debt"),
        ("Got turned down for PIP and don't know about appeals", "money_debt"),
        ("He's put thousands on credit cards at the bookies", "money_debt"),
        ("we have NRPF so no benefits at all", "money_debt"),
        # Eating badly alone: can't be bothered to cook, living on one thing.
        ("Since his wife went he's living on toast and biscuits", "food"),
        ("She can't be bothered to cook just for herself", "food"),
        ("MUST 3, weight dropping", "food"),
        # Cold: saving the "lecky", Yorkshire "starved" for frozen.
        ("we go to bed early to save the lecky", "fuel_poverty"),
        ("I'm starved in this house, the radiators are stone cold", "fuel_poverty"),
        # Caring described by the tasks and the strain.
        ("My lad does his mum's meds and gets her dressed before school", "carers"),
        ("I'm 82 myself and I can't lift him off the floor any more", "carers"),
        # Isolation in a farmer's, a widower's or a newcomer's words.
        ("He hasn't been off the farm since lambing", "loneliness"),
        ("The milkman's the only one who talks to me", "loneliness"),
        ("the kids never ring, not even at Christmas", "loneliness"),
        ("She hasn't had a proper conversation in weeks", "loneliness"),
        ("Mum hasn't a word of English", "english_language"),
        # Control described, not named.
        ("He reads all her messages and keeps her bank card", "domestic_abuse"),
        ("he put his fist through the door when I said no", "domestic_abuse"),
        # Scams at the door and on the phone.
        ("A man knocked on spec and wanted cash up front for the roof", "home_security_scams"),
        (
            "Someone rang saying he was from the bank and asked for her card number",
            "home_security_scams",
        ),
        # New dads, and a teenager going missing.
        ("He's just become a dad and isn't coping with the nights", "parenting_early_years"),
        (
            "Our Jade keeps going missing overnight and comes back with money she can't explain",
            "youth",
        ),
        # Putting weight on; ending one's days at home; a stroke's lasting effects.
        ("I've put two stone on since I started on the night shift", "physical_activity_weight"),
        ("Hospital bed in the front room now and the night sitter comes at ten", "end_of_life"),
        ("his aphasia since the stroke means he can't find his words", "long_term_condition"),
    ],
)
def test_a_fifth_writers_kind_of_situation_finds_its_need(text, code):
    assert code in shown(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A carer's job is not a carer's need, nor a volunteer's role a search for work.
        ("I work as a carer and love it, it's the damp flat that's the problem", "carers"),
        ("Foodbank volunteer: client asked about the heating grant", "employment_skills"),
        # "The fall of" a city or a government is no fall.
        ("They left after the fall of the government", "falls_frailty"),
        # Yorkshire "starved" is cold, not hungry.
        ("We're fair starved, the boiler's packed in", "food"),
        # Nobody ringing back about a job is not isolation.
        ("applied for loads of jobs but nobody rings me back", "loneliness"),
        # A symptom that "comes and goes without warning" is not going without food.
        ("the pain comes and goes without warning", "food"),
        # Quitting with the service and still off is a success, not a need.
        ("quit smoking with us last spring and still off them", "smoking"),
        # Someone's mother going back to work is not a work need.
        ("dad at home with the baby since mum went back to work", "employment_skills"),
        # Deafness named in passing is not a condition to self-manage.
        ("Her husband is deaf, so she makes the phone calls", "long_term_condition"),
    ],
)
def test_a_fifth_writers_look_alike_is_not_the_need(text, code):
    assert code not in shown(text)


def test_a_bare_fridge_is_food_and_a_relatives_words_alone_are_not_youth():
    assert "food" in shown("Nothing in the fridge but a bit of cheese and some milk")
    assert "youth" not in shown("my daughter's away and the lad next door does my bins")
