export function helpText(version: string): string {
  return `openmates ${version}: install and look after a self-hosted OpenMates server

Usage
  openmates                          open the full-screen app (needs a terminal)
  openmates server install           install the stack, or repair an install (same as --server --install, -s -i)
  openmates server status            what is installed and how healthy it is (same as --server --status)
  openmates help | --help | -h       this text
  openmates --version | -v           the CLI's version

Options
  --path DIR             the install directory (default ~/openmates)
  --stack FILE           install this stack file instead of the built-in OpenMates stack
                         (later commands read the install's own copy, so they need no --stack)
  --json                 one JSON object per event on stdout, then a final result object
  -y, --yes              answer questions with their defaults (never deletes data)
  --timeout SECONDS      install: how long to wait for the stack to become healthy
  --strict-requirements  install: fail instead of warn when RAM or disk is below the stack's needs

Environment
  DOCKER_HOST            the Docker engine to use (unix://, tcp://, ssh://), as the docker CLI

Exit codes
  0 ok · 1 internal error · 2 usage · 3 invalid stack file · 4 preflight failed
  5 Docker engine unreachable · 6 operation failed · 7 not healthy in time
  8 refused: data would be at risk · 9 a question needs an answer (pass --yes)
  10 not installed · 130 interrupted
`;
}
