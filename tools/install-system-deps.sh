#!/usr/bin/env bash
# Installs what convention_docs needs outside Python on Debian/Ubuntu: LibreOffice Writer (headless),
# fonts with Arial metrics (Liberation), poppler-utils (pdftoppm, for looking at pages),
# python3-uno (the warm converter's bridge) and Tesseract with its French data (OCR of scans and
# of the statement inside the official artwork). Idempotent; uses apt-get only when something is
# missing.
set -euo pipefail
packages=(libreoffice-writer-nogui fonts-liberation2 poppler-utils python3-uno tesseract-ocr tesseract-ocr-fra)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "convention_docs a besoin de : ${missing[*]} (LibreOffice, polices Liberation, poppler)." >&2
  echo "Installez-les avec le gestionnaire de paquets de votre système." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "Paquets manquants : ${missing[*]}" >&2
    echo "Installez-les en administrateur : sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installation de : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
