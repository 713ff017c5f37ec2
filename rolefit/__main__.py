from rolefit.cli import app

app(prog_name="rolefit")
