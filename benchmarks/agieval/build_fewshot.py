"""Builds fewshot/<task>.jsonl from few_shot_prompts.csv, as GPT-Fathom's AGIEVAL class reads it.

GPT-Fathom (evals/elsuite/dataset_specific/agieval.py, commit 4b7e78b) reads the official few-shot
CSV with pandas: record 0 is the header, records 1, 3, 5, 7, 9 hold each task's exemplars as Python
literals (ast.literal_eval) and records 2, 4, 6, 8, 10 their explanations, in which every "\\n\\n"
becomes "\\n"; empty cells are dropped, and the number of shots is the number of explanations left.
sat-en-without-passage takes sat-en's exemplars. This script writes one JSON line per exemplar with
what the prompt uses (passage, question, options, label, answer, explanation) and the task's type
(MC, or Cloze for math), so Leadline reads plain JSON. Run from this folder: python3 build_fewshot.py
(a test checks that the committed files are what it writes).
"""

import ast
import csv
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
TASKS = {"lsat-ar": "MC", "lsat-lr": "MC", "lsat-rc": "MC", "logiqa-en": "MC", "sat-math": "MC",
         "sat-en": "MC", "sat-en-without-passage": "MC", "aqua-rat": "MC", "math": "Cloze"}


def build(out_dir):
    with open(os.path.join(HERE, "few_shot_prompts.csv"), encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    header = records[0]
    for task, kind in TASKS.items():
        column = header.index("sat-en" if task == "sat-en-without-passage" else task)
        contexts = [ast.literal_eval(records[r][column]) for r in (1, 3, 5, 7, 9) if records[r][column]]
        explanations = [re.sub("\n\n", "\n", records[r][column]) for r in (2, 4, 6, 8, 10) if records[r][column]]
        lines = []
        for i, explanation in enumerate(explanations):
            sample = contexts[i]
            row = {k: sample.get(k, "") for k in ("passage", "question", "options", "label", "answer")}
            row["explanation"] = explanation
            row["type"] = kind
            lines.append(json.dumps(row, ensure_ascii=False) + "\n")
        with open(os.path.join(out_dir, task + ".jsonl"), "w", encoding="utf-8", newline="") as f:
            f.writelines(lines)


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "fewshot"), exist_ok=True)
    build(os.path.join(HERE, "fewshot"))
