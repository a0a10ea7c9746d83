"""Writes the expected gpt-fathom prompts for the first bundled items of each benchmark.

Written from GPT-Fathom's templates as documented in the reference (gpt-fathom.md §1.3, §2), in
plain Python and independently of the Java renderer, so the golden prompt tests compare two
implementations of the document. Run from the checkout: python3 <this file>. Decisions the
document leaves open: BBH's prompt is the text after the '-----' line, trailing whitespace
removed. TruthfulQA's exemplar and test items use the MC1 choices in row order, gold = the choice
labelled 1. WebQuestions flattens exactly like TriviaQA (§2.2 names no difference). Every prompt
here is the text prompt; the chat wrapping of §1.3 is not part of the file.
"""

import json
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[".."] * 6))
B = os.path.join(ROOT, "benchmarks")
OUT = os.path.dirname(os.path.abspath(__file__))


def rows(path, n=None):
    with open(path, encoding="utf-8") as f:
        out = [json.loads(line) for line in f if line.strip()]
    return out[:n] if n else out


def write(name, text):
    with open(os.path.join(OUT, name + ".txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def gsm8k():
    shots = rows(os.path.join(B, "gsm8k", "fewshot.jsonl"))
    for i, item in enumerate(rows(os.path.join(B, "gsm8k/data/main/test.first50.jsonl"), 2)):
        prompt = "Follow the given examples and answer the question." + "\n\n"
        for s in shots[:8]:
            prompt += "Q: " + s["question"] + "\n" + "A: " + s["answer"] + "\n\n"
        prompt += "\n\n" + "Q: " + item["question"] + "\nA: Let's think step by step"
        write("gsm8k-%d" % i, prompt)


def make_abc(answers, correct, rng):
    order = list(range(len(answers)))
    rng.shuffle(order)
    options = "\n".join("(%s) %s" % (chr(65 + p), answers[o]) for p, o in enumerate(order))
    letter = chr(65 + order.index(correct))
    return options, letter


def mmlu(subject):
    dev = rows(os.path.join(B, "mmlu/data", subject, "dev.jsonl"))
    rng = random.Random(47)
    fewshot = ""
    for d in dev[:5]:
        options, letter = make_abc(d["choices"], d["answer"], rng)
        fewshot += "Q: " + d["question"] + "\n\n" + options + "\n" + "A: " + "(" + letter + ") " + d["choices"][d["answer"]] + "\n\n"
    instructions = "The following are multiple choice questions (with answers) about %s." % subject.replace("_", " ")
    for i, item in enumerate(rows(os.path.join(B, "mmlu/data", subject, "test.jsonl"), 2)):
        options, _ = make_abc(item["choices"], item["answer"], random.Random(47))
        write("mmlu-%s-%d" % (subject, i), instructions + "\n\n" + fewshot + "Q: " + item["question"] + "\n\n" + options + "\nA: ")


def flatten(messages):
    # chat_prompt_to_text_prompt with Q_A_ENDING (§1.3): system -> "", example_user -> "Q: ",
    # example_assistant -> "A: ", user -> "Q: "; "\n" after each message, "A: " at the end, lstrip().
    prefix = {"example_user": "Q: ", "example_assistant": "A: "}
    text = ""
    for role, name, content in messages:
        text += (prefix[name] if name else ("Q: " if role == "user" else "")) + content + "\n"
    return (text + "A: ").lstrip()


def triviaqa():
    shot = rows(os.path.join(B, "triviaqa/data/rc.nocontext/train.first6.jsonl"), 1)[0]
    for i, item in enumerate(rows(os.path.join(B, "triviaqa/data/rc.nocontext/validation.first2.jsonl"), 2)):
        messages = [
            ("system", None, "Follow the given examples and answer the question."),
            ("system", "example_user", shot["question"]),
            ("system", "example_assistant", shot["answer"]["aliases"][0]),
            ("user", None, item["question"]),
        ]
        write("triviaqa-%d" % i, flatten(messages))


def truthfulqa():
    # truthfulqa-1shot (§0, §2.1): instructions as in the table, no_MC_prompt=False, answer-only,
    # MC1 only. Hub row 0 is the exemplar; rows 1, 2, ... are the test items.
    data = rows(os.path.join(B, "truthfulqa/data/multiple_choice/validation.first200.jsonl"))
    instructions = "Answer the following multiple choice questions."
    mid = "\nPlease answer with the letter of the correct answer.\n"
    tail = "\nPlease answer with the letter of the correct answer.\nA: "
    rng = random.Random(47)
    fewshot = ""
    for d in data[:1]:
        choices, labels = d["mc1_targets"]["choices"], d["mc1_targets"]["labels"]
        correct = labels.index(1)
        options, letter = make_abc(choices, correct, rng)
        fewshot += "Q: " + d["question"] + "\n\n" + options + mid + "A: " + "(" + letter + ") " + choices[correct] + "\n\n"
    for i, item in enumerate(data[1:3]):
        choices, labels = item["mc1_targets"]["choices"], item["mc1_targets"]["labels"]
        options, _ = make_abc(choices, labels.index(1), random.Random(47))
        write("truthfulqa-%d" % i, instructions + "\n\n" + fewshot + "Q: " + item["question"] + "\n\n" + options + tail)


def webqa():
    # web_questions-1shot (§0, §2.2): system text "Please answer the question:", the first train row
    # as the exemplar with answer answers[0], inserted between the system and user messages.
    shot = rows(os.path.join(B, "webqa/data/default/train.first8.jsonl"), 1)[0]
    for i, item in enumerate(rows(os.path.join(B, "webqa/data/default/test.first200.jsonl"), 2)):
        messages = [
            ("system", None, "Please answer the question:"),
            ("system", "example_user", shot["question"]),
            ("system", "example_assistant", shot["answers"][0]),
            ("user", None, item["question"]),
        ]
        write("webqa-%d" % i, flatten(messages))


def drop():
    shots = rows(os.path.join(B, "drop", "fewshot.jsonl"))
    instr = "The following are questions (with answers) about reading comprehension. "
    for i, item in enumerate(rows(os.path.join(B, "drop/data/default/validation.first2.jsonl"), 2)):
        prompt = instr + "\n\n"
        for s in shots[:3]:
            prompt += "Passage: " + s["passage"] + "\nQuestion: " + s["question"] + "\nAnswer: " + s["ideal"][0] + "\n\n"
        prompt += "\n\n" + "Passage: " + item["passage"] + "\nQuestion: " + item["question"] + "\nAnswer: "
        write("drop-%d" % i, prompt)


def bbh(task):
    with open(os.path.join(B, "bbh/data/cot-prompts", task + ".txt"), encoding="utf-8") as f:
        text = f.read().split("-----\n", 1)[1].rstrip()
    parts = text.split("\n\nQ: ")
    head = parts[0] + "".join("\n\nQ: " + p for p in parts[1:4])
    for i, item in enumerate(rows(os.path.join(B, "bbh/data", task, "test.first30.jsonl"), 2)):
        write("bbh-%s-%d" % (task, i), head + "\n\nQ: " + item["input"] + "\nA: " + "Let's think step by step. ")


def humaneval():
    for i, item in enumerate(rows(os.path.join(B, "humaneval/data/openai_humaneval/test.jsonl"), 2)):
        write("humaneval-%d" % i, "Complete the code:\n" + item["prompt"])
        write("humaneval-chat-%d" % i, "Complete the code and only output the completed code:\n" + item["prompt"])


gsm8k()
mmlu("abstract_algebra")
mmlu("high_school_us_history")
triviaqa()
truthfulqa()
webqa()
drop()
bbh("boolean_expressions")
bbh("snarks")
humaneval()
