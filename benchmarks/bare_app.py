"""The ceiling: a Flask app that answers "hello" and does nothing else."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
