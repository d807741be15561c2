"""Model-assisted labelling, offline: gazetteers, a CRF trained on the project's own labels,
suggestion layers the desk shows apart from accepted spans, and active learning.

Modules: :mod:`.layers` (which layers are suggestions, what is pending, what training reads),
:mod:`.gazetteer` (name lists matched over normalised tokens), :mod:`.features` and :mod:`.crf`
(the sequence model), :mod:`.evaluate` (entity F1), :mod:`.pipeline` (use cases over a project),
:mod:`.active` (uncertainty order). Accepting and rejecting are ``Session`` methods
(``accept_suggestion``, ``reject_suggestion``, ``accept_all_suggestions``), so they are undoable
like every other action. The CRF needs the ``suggest`` extra (python-crfsuite); gazetteers do not.
"""
