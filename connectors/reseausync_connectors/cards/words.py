"""Vocabulary that tells a title from a company from a name, in French and English.

Folded forms (no accents, lower case, see text.fold). Kept as data in one place so
that a missing word is a one-line fix, and so that the layout rules stay readable.
"""

from __future__ import annotations

TITLE_WORDS = frozenset("""
ceo cto cfo coo cio cmo cso cpo vp svp evp avp vice president presidente pdg dg
directeur directrice director dir manager gestionnaire gerant gerante engineer ingenieur
ingenieure developer developpeur developpeuse programmer programmeur programmeuse avocat
avocate lawyer attorney notaire consultant consultante conseiller conseillere advisor
adviser analyst analyste associate associe associee partner founder cofounder fondateur
fondatrice cofondateur cofondatrice head chef lead scientist designer architect architecte
coordonnateur coordonnatrice coordinator specialist specialiste officer sales ventes
marketing engineering ingenierie responsable charge chargee agent agente representant
representante representative owner proprietaire principal principale senior sr junior jr
chief executive administrator administrateur administratrice technicien technicienne
comptable accountant professor professeur professeure researcher chercheur chercheuse
recruiter recruteur recruteuse coach trainer formateur formatrice nurse infirmiere
physician medecin doctor pharmacien pharmacienne planner planificateur strategist
stratege editor redacteur redactrice journalist journaliste producer producteur
productrice secretary secretaire assistant assistante adjoint adjointe intern stagiaire
operations product produit growth data science research recherche development
developpement business affaires communications human resources ressources humaines
finance financial client clients customer success account compte comptes project projet
projets program programme technology technologie technique technical general generale
national regional regionale international global strategy strategie innovation digital
numerique it ti legal juridique conseil relations public publiques partenariats
partnerships services service support qualite quality security securite acheteur buyer
broker courtier courtiere underwriter actuary actuaire superviseur superviseure
supervisor commercial commerciale deleguee delegue manageuse entraineur entraineuse
""".split())

# Words that make a line a company: legal forms first, then words businesses use.
COMPANY_SUFFIXES = frozenset("""
inc incorporated ltd ltee limited limitee sarl sas sasu sa eurl gmbh ag llc llp lp corp
corporation sencrl senc srl spa bv nv plc cie co company pty kk oy ab as
""".split())

COMPANY_WORDS = frozenset("""
labs lab laboratoires technologies technologie tech solutions consulting conseils group
groupe associes associates partners bank banque universite university college systems
systemes services studio studios media agency agence capital ventures software logiciels
industries international networks analytics consultants avocats cabinet design digital
energy energie foods health sante pharma financiere assurance assurances insurance
realty immobilier construction holdings holding enterprises entreprises institute institut
foundation fondation corporation coop cooperative caisse fund fonds trust logistics
logistique transport manufacturing fabrication motors automotive telecom telecoms
communications marketing interactive robotics ai cloud data security securite medical
clinique clinic hospital hopital dental dentaire legal law avocats notaires comptables
cpa engineering ingenierie architecture architectes creative creatif creations maison
atelier boutique distribution import export trading commerce store magasin restaurant
hotel resort airlines aerospace aerospatiale mining mines minieres petroleum oil gas
""".split())

NAME_PREFIXES = frozenset({"dr", "dre", "me", "mr", "mrs", "ms", "mme", "mlle", "prof", "pr",
                           "m"})
NAME_SUFFIXES = frozenset({"phd", "mba", "cpa", "ing", "eng", "peng", "cfa", "jr", "sr", "md",
                           "llb", "llm", "msc", "bsc", "pmp", "iii", "ii", "iv", "cfp", "crha",
                           "adm", "a"})
PARTICLES = frozenset({"de", "du", "des", "van", "von", "der", "den", "da", "di", "del",
                       "della", "la", "le", "dos", "das", "ter", "ten", "bin", "ben", "el",
                       "al", "st", "ste", "saint", "sainte", "d", "y"})

# Common given names (French, English, and the most frequent others in Québec and
# Ontario). Evidence, not a gate: a name not listed here is still a name.
GIVEN_NAMES = frozenset("""
jean francois marie pierre louis michel andre jacques claude luc marc paul philippe
nicolas julien mathieu martin simon alexandre alexandra alex olivier guillaume maxime
sebastien vincent antoine francis eric patrick stephane daniel david francoise sophie
catherine isabelle nathalie julie melanie genevieve valerie chantal sylvie helene anne
annie caroline stephanie emilie elise camille chloe lea laura sarah emma manon audrey
josee karine marianne veronique nadia lucie amelie gabrielle charlotte justine
jeanne claire agnes christine christophe thomas lucas hugo nathan gabriel samuel benoit
yves denis alain gilles serge rene robert richard michael mike william james john joseph
charles george george edward henry peter mark steven kevin brian jason matthew andrew
joshua ryan jennifer jessica ashley amanda emily elizabeth rebecca rachel megan lauren
kate katherine kathleen mary patricia linda barbara susan karen nancy lisa betty
margaret sandra donna carol michelle amy angela melissa deborah laura nicole christina
samantha heather tiffany kimberly victoria olivia ava isabella mia amelia grace
ella zoe benjamin jack liam noah ethan oliver jacob aiden logan owen elijah mason
frederic fred raphael remi jeremie jerome arnaud cedric fabien florian gaetan
laurent yannick xavier bruno thierry pascal didier bernard gerard emmanuel
anthony tony chris christopher steve dave bob rob tom tim ben nick sam dan
priya raj rahul anil sunil vijay amit wei li ming chen lin mohamed mohammed ahmed
ali fatima omar youssef karim sara yasmine leila amina
""".split())

FREE_MAIL = frozenset({"gmail", "hotmail", "outlook", "yahoo", "live", "icloud", "me", "msn",
                       "videotron", "sympatico", "bell", "rogers", "shaw", "telus", "orange",
                       "free", "laposte", "wanadoo", "sfr", "aol", "protonmail", "proton",
                       "gmx", "mail", "yandex", "cogeco", "bellnet"})
