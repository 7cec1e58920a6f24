# LSTM Explainer: one Streamlit server on port 8501.
#   docker build -t lstm-explainer .
#   docker run --rm -p 8501:8501 lstm-explainer        # then open http://localhost:8501
# Every scenario lives in the URL and in the browser session, so the container keeps no data:
# run as many replicas as you like behind a load balancer with sticky sessions
# (docs/deployment.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user with a home directory (Streamlit may write ~/.streamlit).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

# Dependencies first: this layer is reused while only the code changes.
COPY requirements.txt ./
RUN python -m pip install -r requirements.txt

# Only what the running app needs (no tests, benchmarks or docs).
COPY .streamlit/ .streamlit/
COPY app.py ./
COPY pages/ pages/
COPY ui/ ui/
COPY viz/ viz/
COPY explainer/ explainer/
COPY lstm_core/ lstm_core/
COPY assets/ assets/

USER app
EXPOSE 8501

# The slim image has no curl: ask Streamlit's health endpoint with the standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["python", "-m", "streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--browser.gatherUsageStats=false"]
