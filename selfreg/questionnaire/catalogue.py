"""The questionnaire: every section, step and question, in one place.

Views, forms, review, receipt and exports all read this. Change a question here and bump
``VERSION``; every stored answer set records the version it was given under.
Source texts are English in short sentences (about CEFR A2) so translations stay plain too.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from . import checks
from .model import Catalogue, Kind, Option, Question, Section, Step, when
from .options import (
    DOCUMENTS,
    INTERRUPTION_REASONS,
    LANGUAGE_LEVELS,
    STUDY_STATUS,
    YEARS_OF_SCHOOL_MAX,
    YES_NO,
    YES_NO_UNSURE,
)

VERSION = "2026.1"


def _levels(prefix: str) -> tuple[Question, ...]:
    return (
        Question(f"{prefix}understand", Kind.CHOICE, _l("How well do you understand it?"),
                 options=LANGUAGE_LEVELS),
        Question(f"{prefix}speak", Kind.CHOICE, _l("How well do you speak it?"),
                 options=LANGUAGE_LEVELS),
        Question(f"{prefix}read", Kind.CHOICE, _l("How well do you read it?"),
                 options=LANGUAGE_LEVELS),
        Question(f"{prefix}write", Kind.CHOICE, _l("How well do you write it?"),
                 options=LANGUAGE_LEVELS),
    )


def _study_questions(*, with_level: bool) -> tuple[Question, ...]:
    """What recognition (NOKUT / HK-dir) needs about one programme of study."""
    level = (
        Question("level", Kind.CHOICE, _l("What kind of education was it?"), options=(
            Option("5", _l("Short higher vocational education"),
                   _l("1 to 2 years after upper secondary school.")),
            Option("6", _l("Bachelor's degree or similar"), _l("Usually 3 to 4 years.")),
            Option("7", _l("Master's degree or similar"), _l("Usually 1 to 2 years after a bachelor's degree.")),
            Option("8", _l("Doctorate (PhD)")),
        )),
    ) if with_level else ()
    return level + (
        Question("field", Kind.FIELD, _l("What subject did you study?"),
                 hint=_l("Choose the closest one.")),
        Question("programme", Kind.TEXT, _l("The name of the programme or degree"),
                 hint=_l("In your own words. For example: Civil engineering."), required=False),
        Question("institution", Kind.TEXT, _l("The name of the school, college or university"),
                 required=with_level),
        Question("country", Kind.COUNTRY, _l("In which country?")),
        Question("years", Kind.INTEGER, _l("How many years did you study?"), minimum=0, maximum=15),
        Question("status", Kind.CHOICE, _l("Did you finish?"), options=STUDY_STATUS),
        Question("end_year", Kind.INTEGER, _l("Which year did you finish or stop?"),
                 minimum=1940, maximum=2100, required=False),
        Question("how_far", Kind.TEXT, _l("How far did you get?"),
                 hint=_l("For example: 2 of 4 years, or the number of credits."),
                 show_if=when(".status", "interrupted", "ongoing"), required=False),
        Question("reason", Kind.CHOICE, _l("Why did you stop?"), options=INTERRUPTION_REASONS,
                 show_if=when(".status", "interrupted"), required=False),
        Question("documents", Kind.CHOICE, _l("Do you have diplomas or other papers from this education?"),
                 options=DOCUMENTS),
    )


ABOUT = Section("about", _l("About you"), pictogram="about.svg", steps=(
    Step("name", _l("Your name"), intro=_l("Write your name as it is on your papers from UDI."), questions=(
        Question("given_names", Kind.TEXT, _l("First name(s)"), max_length=100,
                 autocomplete="given-name"),
        Question("family_name", Kind.TEXT, _l("Last name(s)"), max_length=100,
                 autocomplete="family-name"),
    )),
    Step("birth", _l("Your date of birth"), questions=(
        Question("birth_date", Kind.PARTIAL_DATE, _l("When were you born?"),
                 hint=_l("If you only know the year, write only the year."),
                 check=checks.check_birth_date),
    )),
    Step("origin", _l("Country and papers"), questions=(
        Question("country_of_origin", Kind.COUNTRY, _l("Which country do you come from?")),
        Question("duf_number", Kind.DUF, _l("DUF number"),
                 hint=_l("12 digits. It is on your papers from UDI. Leave it empty if you do not know it."),
                 required=False, check=checks.check_duf),
    )),
    Step("contact", _l("Phone and municipality"), questions=(
        Question("phone", Kind.PHONE, _l("Your phone number"), required=False, max_length=30,
                 check=checks.check_phone, autocomplete="tel"),
        Question("municipality", Kind.TEXT, _l("Do you know which municipality you will live in?"),
                 hint=_l("Write the name if you know it. Leave it empty if you do not know."),
                 required=False, max_length=100),
    )),
))

LANGUAGES = Section("languages", _l("Languages"), pictogram="languages.svg", steps=(
    Step("mother_tongue", _l("Your first language"),
         intro=_l("Your first language is the language you learned as a child."), repeatable=True,
         entry_title="language", add_label=_l("Add another first language"), max_entries=4,
         questions=(
             Question("language", Kind.LANGUAGE, _l("Which language?"),
                      hint=_l("Write the name of the language and press Search.")),
         )),
    Step("literacy", _l("Reading and writing"), questions=(
        Question("reads", Kind.CHOICE, _l("Can you read your first language?"), options=(
            Option("yes", _l("Yes")), Option("little", _l("A little")), Option("no", _l("No")))),
        Question("writes", Kind.CHOICE, _l("Can you write your first language?"), options=(
            Option("yes", _l("Yes")), Option("little", _l("A little")), Option("no", _l("No")))),
    )),
    Step("norwegian", _l("Norwegian"), questions=_levels("")),
    Step("english", _l("English"), questions=_levels("")),
    Step("other_languages_any", _l("Other languages"), questions=(
        Question("any", Kind.CHOICE, _l("Do you know other languages?"), options=YES_NO),
    )),
    Step("other_languages", _l("Other languages"), repeatable=True, entry_title="language",
         add_label=_l("Add a language"), applies_if=(when("other_languages_any.any", "yes"),),
         questions=(
             Question("language", Kind.LANGUAGE, _l("Which language?"),
                      hint=_l("Write the name of the language and press Search.")),
         ) + _levels("")),
))

SCHOOL = Section("school", _l("School"), pictogram="school.svg", steps=(
    Step("school", _l("Primary and lower secondary school"),
         intro=_l("This is school for children, usually from age 6 to 15."), questions=(
             Question("attended", Kind.CHOICE, _l("Did you go to school?"), options=(
                 Option("yes", _l("Yes")),
                 Option("never", _l("No, I never went to school")),
             )),
         )),
    Step("school_details", _l("Your school years"), applies_if=(when("school.attended", "yes"),),
         questions=(
             Question("years", Kind.INTEGER, _l("How many years did you go to school?"),
                      hint=_l("Count all years from the first class."), minimum=1,
                      maximum=YEARS_OF_SCHOOL_MAX),
             Question("country", Kind.COUNTRY, _l("In which country?")),
             Question("completed", Kind.CHOICE, _l("Did you finish lower secondary school?"),
                      options=YES_NO),
         )),
))

UPPER_SECONDARY = Section("upper_secondary", _l("Upper secondary school"), pictogram="upper.svg", steps=(
    Step("upper", _l("Upper secondary school"),
         intro=_l("This is school after lower secondary school, usually from age 16 to 19."),
         applies_if=(when("school.attended", "yes"),), questions=(
             Question("kind", Kind.CHOICE, _l("Did you go to upper secondary school?"), options=(
                 Option("none", _l("No")),
                 Option("general", _l("Yes, general studies"),
                        _l("Preparation for university. For example science or literature.")),
                 Option("vocational", _l("Yes, vocational training"),
                        _l("Training for a trade. For example electrician or cook.")),
             )),
         )),
    Step("upper_details", _l("Your upper secondary school"),
         applies_if=(when("upper.kind", "general", "vocational"),),
         questions=_study_questions(with_level=False)),
))

HIGHER = Section("higher", _l("Higher education"), pictogram="higher.svg", steps=(
    Step("higher_any", _l("Higher education"),
         intro=_l("Higher education is college or university after upper secondary school."),
         applies_if=(when("school.attended", "yes"),), questions=(
             Question("any", Kind.CHOICE, _l("Have you studied at a college or university?"),
                      options=YES_NO),
         )),
    Step("higher", _l("Your higher education"), repeatable=True, entry_title="programme",
         add_label=_l("Add more higher education"), applies_if=(when("higher_any.any", "yes"),),
         questions=_study_questions(with_level=True)),
))

TRAINING = Section("training", _l("Courses and certificates"), pictogram="training.svg", steps=(
    Step("training_any", _l("Courses and certificates"), questions=(
        Question("any", Kind.CHOICE,
                 _l("Have you taken other courses, or do you have certificates or licences?"),
                 hint=_l("For example a trade certificate, a course in first aid, or a licence to work."),
                 options=YES_NO),
    )),
    Step("training", _l("Your courses and certificates"), repeatable=True, entry_title="name",
         add_label=_l("Add another course or certificate"),
         applies_if=(when("training_any.any", "yes"),), questions=(
             Question("kind", Kind.CHOICE, _l("What is it?"), options=(
                 Option("course", _l("A course")),
                 Option("trade_certificate", _l("A trade or journeyman's certificate")),
                 Option("apprenticeship", _l("An apprenticeship")),
                 Option("licence", _l("A licence or authorisation to work")),
                 Option("other", _l("Something else")),
             )),
             Question("name", Kind.TEXT, _l("What is it called?"),
                      hint=_l("For example: Welding course, or Licence as a nurse.")),
             Question("country", Kind.COUNTRY, _l("In which country?")),
             Question("year", Kind.INTEGER, _l("Which year?"), minimum=1940, maximum=2100,
                      required=False),
             Question("months", Kind.INTEGER, _l("How many months did it take?"), minimum=0,
                      maximum=120, required=False),
             Question("documents", Kind.CHOICE, _l("Do you have papers for it?"), options=DOCUMENTS),
         )),
    Step("driving", _l("Driving licence"), questions=(
        Question("classes", Kind.MULTI, _l("Which driving licence do you have?"),
                 hint=_l("Choose all that fit."), required=False, options=(
                     Option("none", _l("I do not have a driving licence")),
                     Option("AM", _l("Moped (AM)")),
                     Option("A", _l("Motorcycle (A)")),
                     Option("B", _l("Car (B)")),
                     Option("BE", _l("Car with trailer (BE)")),
                     Option("C1", _l("Light lorry (C1)")),
                     Option("C", _l("Lorry (C)")),
                     Option("CE", _l("Lorry with trailer (CE)")),
                     Option("D1", _l("Minibus (D1)")),
                     Option("D", _l("Bus (D)")),
                     Option("T", _l("Tractor (T)")),
                 )),
        Question("country", Kind.COUNTRY, _l("Which country is the licence from?"), required=False),
    )),
))

WORK = Section("work", _l("Work"), pictogram="work.svg", steps=(
    Step("work_any", _l("Work experience"),
         intro=_l("All work counts: paid work, your own business, work on the family farm, "
                  "military service and work without a contract."), questions=(
             Question("any", Kind.CHOICE, _l("Have you worked?"), options=YES_NO),
         )),
    Step("work", _l("Your work"), repeatable=True, entry_title="occupation",
         add_label=_l("Add more work"), applies_if=(when("work_any.any", "yes"),), questions=(
             Question("occupation", Kind.OCCUPATION, _l("What was your work?"),
                      hint=_l("Write your job in your own words and press Search. "
                              "Then choose the closest job from the list, if one fits."),
                      max_length=150),
             Question("arrangement", Kind.CHOICE, _l("How did you work?"), options=(
                 Option("employed", _l("I was employed")),
                 Option("self_employed", _l("I had my own business")),
                 Option("family", _l("In the family business or on the family farm")),
                 Option("informal", _l("Without a contract or papers")),
                 Option("military", _l("Military or national service")),
                 Option("volunteer", _l("Without pay, as a volunteer")),
             )),
             Question("tasks", Kind.TEXTAREA, _l("What did you do at work?"),
                      hint=_l("Write the most important tasks. For example: repaired cars, "
                              "ordered parts, trained new workers."), max_length=1000,
                      required=False),
             Question("years", Kind.INTEGER, _l("How many years did you do this work?"),
                      hint=_l("Write 0 if it was less than one year."), minimum=0, maximum=70),
             Question("country", Kind.COUNTRY, _l("In which country?")),
             Question("licence", Kind.CHOICE,
                      _l("Did you need a licence or an authorisation for this work?"),
                      hint=_l("For example doctors, nurses, teachers and electricians often need one."),
                      options=YES_NO_UNSURE),
         )),
))

SKILLS = Section("skills", _l("Other skills"), pictogram="skills.svg", steps=(
    Step("digital", _l("Computers and phones"), questions=(
        Question("digital", Kind.MULTI, _l("What can you do on a phone or computer?"),
                 hint=_l("Choose all that fit."), required=False, options=(
                     Option("messages", _l("Send messages")),
                     Option("internet", _l("Find information on the internet")),
                     Option("email", _l("Write e-mails")),
                     Option("forms", _l("Fill in forms online")),
                     Option("office", _l("Write documents or use spreadsheets")),
                     Option("specialist", _l("Use special programs at work")),
                     Option("programming", _l("Make programs or websites")),
                 )),
        Question("numeracy", Kind.CHOICE, _l("How well do you work with numbers?"), options=(
            Option("basic", _l("I can count money and read prices")),
            Option("everyday", _l("I can calculate with numbers in everyday life")),
            Option("advanced", _l("I use maths at work or in my studies")),
        )),
    )),
    Step("other_skills", _l("More about you"), questions=(
        Question("skills", Kind.TEXTAREA, _l("What else are you good at?"),
                 hint=_l("For example: cooking for many people, sewing, repairing phones, "
                         "looking after children."), required=False, max_length=1000),
        Question("volunteering", Kind.TEXTAREA, _l("Have you done volunteer work? What did you do?"),
                 required=False, max_length=1000),
    )),
))

WISHES = Section("wishes", _l("Your wishes"), pictogram="wishes.svg", steps=(
    Step("wishes_work", _l("Work in Norway"), questions=(
        Question("work", Kind.OCCUPATION, _l("What work do you want to do in Norway?"),
                 hint=_l("Write it in your own words and press Search."), required=False,
                 max_length=150),
        Question("work_more", Kind.TEXTAREA, _l("Do you want to say more about this?"),
                 required=False, max_length=1000),
    )),
    Step("wishes_education", _l("Education in Norway"), questions=(
        Question("education", Kind.TEXTAREA, _l("What do you want to learn or study in Norway?"),
                 required=False, max_length=1000),
        Question("need", Kind.CHOICE,
                 _l("Do you think you need more education or training to get the work you want?"),
                 options=YES_NO_UNSURE),
        Question("needs", Kind.MULTI, _l("What do you think you need?"),
                 hint=_l("Choose all that fit."), required=False,
                 show_if=when(".need", "yes", "unsure"), options=(
                     Option("norwegian", _l("Learn Norwegian")),
                     Option("primary", _l("Finish primary or lower secondary school")),
                     Option("upper_secondary", _l("Finish upper secondary school")),
                     Option("vocational", _l("Vocational training or a trade certificate")),
                     Option("higher", _l("Higher education")),
                     Option("supplementary", _l("Extra courses to use my education in Norway")),
                     Option("recognition", _l("Get my education recognised in Norway")),
                     Option("authorisation", _l("Get an authorisation for my profession")),
                     Option("prior_learning", _l("Have my skills from work assessed")),
                 )),
    )),
))

CATALOGUE = Catalogue(
    VERSION,
    (ABOUT, LANGUAGES, SCHOOL, UPPER_SECONDARY, HIGHER, TRAINING, WORK, SKILLS, WISHES),
)
