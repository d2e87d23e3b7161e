# Sourced by bin/start and bin/test: make .venv and install the project into it.
# Usage: install_project ""      (what the site needs)
#        install_project "[dev]" (plus the test tools)
install_project() {
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
        .venv/bin/python -m pip install --quiet --upgrade pip
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".$1"
}
