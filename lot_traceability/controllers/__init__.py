from . import digital_link
