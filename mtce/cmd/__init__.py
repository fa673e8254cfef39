from stxcommon import backend

backend.init_threading()
