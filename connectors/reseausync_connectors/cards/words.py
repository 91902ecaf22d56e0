"""Vocabulary that tells a title from a company from a name, in French and English.

Folded forms (no accents, lower case, see text.fold). Kept as data in one place so
that a missing word is a one-line fix, and so that the layout rules stay readable.
"""

from __future__ import annotations

_ROLE_WORDS = frozenset("""
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

# A profession printed alone under the name ("Cardiologue", "Photographe",
# "Pharmacist"): nouns naming what a person is, French in both genders and English.
# Trades that are common family names (Boucher, Baker) are in TRADE_SURNAMES, not
# here: a line reading "BOUCHER" under "Sophie" is her name.
PROFESSIONS = frozenset("""
cardiologue cardiologist dermatologue dermatologist radiologue radiologist neurologue
neurologist oncologue oncologist gynecologue gynecologist urologue urologist
ophtalmologiste ophtalmologue ophthalmologist anesthesiste anesthesiologist
pediatre pediatrician psychiatre psychiatrist gastroenterologue gastroenterologist
endocrinologue endocrinologist rhumatologue rheumatologist pneumologue pulmonologist
orthopediste orthopedist chirurgien chirurgienne surgeon omnipraticien omnipraticienne
generaliste docteur docteure infirmier infirmiere nurse dentiste dentist hygieniste
hygienist denturologiste denturist orthodontiste orthodontist optometriste optometrist
opticien opticienne optician audiologiste audiologist pharmacist veterinaire veterinarian
psychologue psychologist psychotherapeute psychotherapist therapeute therapist
physiotherapeute physiotherapist ergotherapeute kinesiologue kinesiologist orthophoniste
osteopathe osteopath chiropraticien chiropraticienne chiropractor naturopathe naturopath
acupuncteur acupunctrice acupuncturist massotherapeute nutritionniste nutritionist
dieteticien dieteticienne dietitian dietetiste sexologue criminologue ambulancier
ambulanciere paramedic sociologue sociologist
juriste paralegal notary solicitor barrister huissier huissiere bailiff fiscaliste
auditeur auditrice auditor controleur controleuse controller comptroller tresorier
tresoriere treasurer economiste economist actuarial statisticien statisticienne
statistician mathematicien mathematicienne mathematician physicien physicienne physicist
chimiste chemist biologiste biologist geologue geologist agronome agronomist
urbaniste urbanist arpenteur arpenteuse surveyor geometre evaluateur evaluatrice
appraiser inspecteur inspectrice inspector
enseignant enseignante teacher educateur educatrice educator orthopedagogue
lecturer tuteur tutrice tutor bibliothecaire librarian archiviste archivist
traducteur traductrice translator interprete interpreter
photographe photographer graphiste illustrateur illustratrice illustrator
designer artiste artist musicien musicienne musician comedien comedienne actor actress
auteur autrice auteure author ecrivain ecrivaine writer scenariste screenwriter
realisateur realisatrice filmmaker animateur animatrice host curator conservateur
conservatrice
electricien electricienne electrician plombier plumber mecanicien mecanicienne mechanic
entrepreneur entrepreneure contractor realtor
cuisinier cuisiniere sommelier sommeliere patissier patissiere traiteur caterer
coiffeur coiffeuse hairdresser estheticienne esthetician decorateur decoratrice
decorator
dirigeant dirigeante cadre vendeur vendeuse salesman saleswoman acheteuse
planificatrice conseillere conseiller mandataire banquier banquiere banker investisseur
investisseuse investor chairman chairwoman chairperson
ambassadeur ambassadrice ambassador consul maire mairesse councillor conseillere
depute deputee senateur senatrice senator ministre minister
""".split())

# Abbreviations printed as a whole title ("CEO", "PDG", "DG", "VP", "DRH").
TITLE_ABBREVIATIONS = frozenset("""
ceo cto cfo coo cio cmo cso cpo cdo cro ciso chro cco cxo vp svp evp avp pdg dg dga
drh daf dsi gm
""".split())

# Trades that are also common family names: never title words on their own.
TRADE_SURNAMES = frozenset("""
boucher boulanger charpentier marchand meunier berger fournier pelletier mercier couturier
barbier tailleur chevalier pasteur menuisier cook smith baker taylor carpenter mason fisher
cooper porter butler clark turner miller hunter bishop judge dean sheriff steward farmer
painter weaver potter glover fowler sawyer chandler draper brewer fletcher archer gardner
shepherd marshall page knight king abbott parsons chapman spencer
""".split())

TITLE_WORDS = _ROLE_WORDS | PROFESSIONS | TITLE_ABBREVIATIONS

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
