import Foundation
import KioskTestSupport

let minimalDocument = """
    +++
    id = "code"
    title = "Code of Conduct"
    version = 2
    declaration = "I agree to follow this code."
    +++

    ## Rules

    - [ ] I will be kind.
    - [ ] I will be **careful**.
    """

let minimalConfig = """
    [kiosk]
    school = "Test School"
    terminal = "t-1"

    [roles.visitor]
    label = "Visitor"
    documents = ["code"]
    questions = [{ id = "organisation", label = "Organisation" }]
    """
