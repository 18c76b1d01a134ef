from . import digital_link
from . import epcis
from . import report
from . import recall_notice
