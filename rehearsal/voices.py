"""What the simulated participants write: rationales for every stance on the five forum themes.

Written in the voice of remote participants of IGF 2012 (Baku), from governments, business, civil
society, the technical community, academia and intergovernmental organisations, many of them in
developing countries. They refer to what people were discussing that autumn: the CSTD consultation of
18 May 2012, the Tunis Agenda, the IGF improvements report, the proposals for a new UN body, and the
treaty conference (WCIT) due in Dubai a month later. Fictional voices; no real person is quoted.
"""

from __future__ import annotations

from typing import NamedTuple


class Voice(NamedTuple):
    """A rationale only some stakeholder groups would write ("our ministry", "our members")."""

    groups: tuple[str, ...]
    text: str


def only(groups: tuple[str, ...], text: str) -> Voice:
    return Voice(groups, text)


def fits(item: str | Voice, stakeholder: str) -> bool:
    return isinstance(item, str) or stakeholder in item.groups


def text_of(item: str | Voice) -> str:
    return item if isinstance(item, str) else item.text


RATIONALES: dict[str, dict[str, tuple[str | Voice, ...]]] = {
    "existing": {
        "sufficient": (
            "Enhanced cooperation is already happening every day: governments sit in the ICANN GAC, the RIRs run "
            "open policy processes, the OECD and the Council of Europe have adopted Internet principles with "
            "stakeholder input. It was never meant to be one building in Geneva.",
            only(
                ("private-sector",),
                "Our industry works with regulators in dozens of fora, from APEC TEL to the OECD. The cooperation "
                "the Tunis Agenda asked for exists; what is missing is awareness of it.",
            ),
            "Seven years after Tunis, governments have more channels than ever: the GAC, the ITU, UNESCO, "
            "regional IGFs. Calling this 'no progress' ignores what has been built.",
            only(
                ("technical-community",),
                "From a registry's point of view, governments are already in the room when it matters: ccTLD "
                "policy is set locally with the government at the table.",
            ),
        ),
        "develop": (
            "There are real examples, such as the GAC and the OECD principles, but they are scattered and "
            "mostly invisible to ministries in small developing countries. Map them and connect them.",
            "The CSTD consultation in May showed that each side has a different picture of what already "
            "exists. The building blocks are there; they need to be linked and opened to more countries.",
            "Cooperation works well on technical coordination and poorly on public policy questions such as "
            "cross-border data and cybercrime. Develop what exists on those topics rather than start over.",
            only(
                ("intergovernmental",),
                "Our regional commission sees good practice at national level, multistakeholder ICT strategies in "
                "several developing countries, that never feeds back into the global discussion. That link is missing.",
            ),
            "Regional IGFs, from the East African IGF to EuroDIG, are a form of enhanced cooperation that "
            "deserves more support and a clearer path into global policy making.",
        ),
        "lacking": (
            only(
                ("government",),
                "Paragraph 69 speaks of governments carrying out their roles on an equal footing. Today a handful "
                "of governments oversee critical resources and the rest of us comment from outside. That is not "
                "enhanced cooperation.",
            ),
            "Seven years on, there is still no place where a developing country can raise an international "
            "public policy issue about the Internet and expect a decision. Dialogue is not cooperation.",
            "International connectivity costs are a good test: small economies pay for transit to the large "
            "ones, and no forum has ever addressed it. The mechanism simply does not exist.",
            only(
                ("civil-society",),
                "For community media in the global South, nothing has changed since Tunis. The processes that "
                "exist are expensive to attend and run in English.",
            ),
        ),
        "undecided": (
            "I joined to listen. Before taking a view I would like to understand what the CSTD consultation "
            "concluded and whether the Secretary-General's report will say more.",
            only(
                ("private-sector", "civil-society", "technical-community"),
                "We are still consulting our members; there are strongly held views on both sides of this.",
            ),
        ),
    },
    "gaps": {
        "none": (
            "Every issue raised in May already has a home: spam at the ITU and the London Action Plan, "
            "cybercrime in the Budapest Convention, names and numbers in ICANN and the RIRs.",
            "What looks like a gap is usually a lack of participation, not a lack of mechanisms. Funding "
            "remote participation would fix more than any new institution.",
            "The Internet grew because nobody owned the whole of it. A list of 'gaps' to be filled by "
            "governments risks becoming a list of things to control.",
        ),
        "some": (
            "Cross-border issues with no clear home: jurisdiction over data held abroad, law enforcement "
            "requests, consumer protection in online trade. Everything else has at least a forum.",
            "Spam and cybercrime hit developing countries hardest and the existing agreements were negotiated "
            "without us. That is a specific gap, not a reason to redesign everything.",
            only(
                ("government",),
                "Capacity building is the gap. The policies exist, but small administrations cannot follow a "
                "dozen processes at once. A ministry of twelve people cannot cover ICANN, the ITU, WIPO and the IGF.",
            ),
            "Human rights online need a clearer place. The Human Rights Council resolution of July 2012 on "
            "freedom of expression online was a start; follow-up mechanisms are missing.",
            "Interconnection costs and local content: nobody is responsible for them internationally, and "
            "they decide whether the next billion users can afford to come online.",
        ),
        "widespread": (
            "Almost every public policy issue on the Internet lacks an intergovernmental home: security, "
            "privacy, taxation of online services, the oversight of critical resources. The gap is systemic.",
            "When the rules for the Internet are written in one country's courts and companies, every other "
            "country lives with a gap. It is not a list of topics, it is the whole architecture.",
            "Data protection, market concentration, the digital divide: in each case the people most "
            "affected have no forum with the power to act. That is widespread, not specific.",
            only(
                ("civil-society",),
                "From the rural communities we serve, the gap is everywhere: access, affordability, language, and "
                "no say in any of the bodies that decide.",
            ),
        ),
        "undecided": (
            "It depends which issues are counted as 'international public policy'. We need that list before "
            "we can say where the gaps are.",
            "Some gaps are real, others are a question of perspective. I hope the discussion in Baku sorts "
            "one from the other.",
        ),
    },
    "structures": {
        "as-is": (
            "The IGF, the ICANN model and the regional registries are already open to every government that "
            "wants to take part. The structures are there; governments need to use them.",
            "Structures built by consensus over twenty years should not be re-engineered to suit a "
            "negotiation in New York. Use them as they are and judge them on results.",
            "The RIR policy processes are open to anyone with an email address, governments included. Few "
            "institutions in the world can say that.",
        ),
        "improve": (
            "The IGF can do it if it follows the improvements the CSTD working group proposed: stable "
            "funding, intersessional work, and outputs that governments can take home.",
            "The CSTD itself could host a standing dialogue on enhanced cooperation, with stakeholders in the "
            "room, as it did on 18 May. It needs a mandate and a budget, not a new name.",
            "The ITU, UNESCO and the OECD each cover part of the field. A light coordination layer between "
            "them, reporting to the IGF, would operationalise most of what Tunis asked.",
            "The GAC model works for names; extending it to other public policy issues, with better support "
            "for developing-country governments, would be a practical next step.",
            "Make regional IGFs formal inputs: their messages should reach the CSTD and the UN General "
            "Assembly through a known channel, with a response expected.",
        ),
        "none-fit": (
            "None of the existing bodies was designed for governments to decide on Internet public policy "
            "together. Stretching the ITU or the IGF to do it would distort them both.",
            "ICANN answers to one government under a contract; the IGF cannot decide anything; the ITU "
            "covers telecommunications only. That leaves no structure that fits the Tunis mandate.",
            "A body is needed that is accountable to all states and consults all stakeholders. Nothing in "
            "the current landscape is both.",
        ),
        "undecided": (
            "I can see arguments for improving the IGF and for a CSTD-based process. I would like to hear "
            "the panel before choosing.",
            only(
                ("government",),
                "Our ministry has not yet settled its position ahead of the General Assembly discussion.",
            ),
        ),
    },
    "igf": {
        "home": (
            "Paragraphs 67-72 create the IGF as the place for dialogue on exactly these issues. Enhanced "
            "cooperation belongs there, where every stakeholder can take part on an equal basis.",
            "If enhanced cooperation moves to a closed intergovernmental room, the IGF becomes a talk shop "
            "by design. Keep it in the IGF and give the IGF the means to produce outcomes.",
            "Baku shows the IGF can host difficult conversations. Its next step is to host enhanced "
            "cooperation itself, with intersessional working groups.",
        ),
        "contributor": (
            "The IGF informs and prepares; decisions are taken elsewhere. That division of labour is its "
            "strength. Enhanced cooperation can use IGF outputs without living inside it.",
            "The IGF is the best place to identify issues and test ideas. Enhanced cooperation on public "
            "policy needs governments to act on them, in their own fora.",
            "The IGF is a multistakeholder laboratory. It should feed enhanced cooperation with messages, best "
            "practice and early warning, not carry the process alone.",
            only(
                ("government",),
                "For a small delegation, the IGF is where we learn what the issues are. It contributes; the "
                "follow-up has to happen where policies are adopted.",
            ),
        ),
        "separate": (
            "The Tunis Agenda treats enhanced cooperation (paragraphs 69-71) and the IGF (paragraphs 72-80) "
            "as two distinct processes. Merging them rewrites what was agreed in 2005.",
            "The IGF has no decision-making mandate and was never meant to. Enhanced cooperation is about "
            "governments exercising their responsibilities, which is a separate track.",
            "Keeping them separate protects the IGF: if it became the venue for intergovernmental "
            "negotiation, the open dialogue that makes it useful would be lost.",
        ),
        "undecided": (
            "The Tunis text can be read both ways, and reasonable people do. I am waiting for a clearer "
            "account of what each reading would mean in practice.",
            "Undecided: I would support the IGF as home only if its improvements are actually funded.",
        ),
    },
    "newbody": {
        "new-un-body": (
            "A committee within the UN system, open to all member states and consulting stakeholders, would "
            "finally give developing countries an equal voice on Internet public policy.",
            "The proposals tabled since 2011 for a UN body on Internet-related policies answer a real "
            "problem: today those policies are made by default in a few countries. We support a body with "
            "strong stakeholder advisory groups.",
            "Without a legitimate intergovernmental home, the pressure will go to the ITU treaty conference "
            "in Dubai. A dedicated, consultative UN body is the safer answer.",
            "A body under the General Assembly, with a small secretariat and formal consultation of the IGF, "
            "is what paragraph 69 implies.",
        ),
        "status-quo": (
            "A new UN body would add bureaucracy, slow innovation and give governments that censor the "
            "Internet a new lever. The existing mechanisms suffice and are improving.",
            only(
                ("private-sector",),
                "Investment in our region depends on predictable rules. A new intergovernmental layer above the "
                "existing ones would bring uncertainty, not cooperation.",
            ),
            "The technical coordination works because it is bottom-up. Any new UN structure would be pulled "
            "towards controlling names and numbers, whatever its mandate says at the start.",
            only(
                ("civil-society",),
                "Civil society has a seat in the IGF and in the RIRs; in a UN committee we would be observers at "
                "best. The status quo protects participation.",
            ),
        ),
        "analyse-first": (
            "Before deciding on a new body, map the current ecosystem: who does what, where the gaps are, "
            "what a body would add. A CSTD working group on enhanced cooperation could do that in a year.",
            "The pros (legitimacy, a voice for all states) and the cons (cost, duplication, risk to openness) "
            "are both real. Only an honest analysis of the landscape can weigh them.",
            "We would not oppose a new structure in principle, but nobody has yet shown what it would do "
            "that the existing ones cannot. Analyse first, then decide.",
            "A mapping exercise with all stakeholders, reported to the General Assembly, would break the "
            "deadlock between 'new body now' and 'nothing to fix'.",
            "Let the Secretary-General's consultation and a working group give us evidence. Decisions made "
            "in the shadow of the Dubai conference will be made for the wrong reasons.",
        ),
        "undecided": (
            "Both sides make good points and I have not heard a model of a new body that I could assess.",
            only(
                ("private-sector", "civil-society", "technical-community"),
                "We will decide after consulting our members; for now, undecided.",
            ),
        ),
    },
}

#: How a changed rationale starts: during the live session, and in the days after it.
CHANGE_PREFIXES: dict[str, tuple[str, ...]] = {
    "session": (
        "After listening to the panel this morning, I have moved.",
        "The discussion in the room changed my mind.",
        "Following the session remotely has made me rethink this.",
    ),
    "later": (
        "Having read the other rationales here, I now think differently.",
        "Having slept on the session, I have changed my view.",
    ),
}
