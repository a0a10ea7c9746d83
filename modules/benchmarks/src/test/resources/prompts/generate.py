"""Writes the expected gpt-fathom prompts for the first bundled items of each benchmark.

Written from GPT-Fathom's templates as documented in the reference (gpt-fathom.md §1.3, §2), in
plain Python and independently of the Java renderer, so the golden prompt tests compare two
implementations of the document. Run from the checkout: python3 <this file>. Decisions the
document leaves open: BBH's prompt is the text after the '-----' line, trailing whitespace
removed. TruthfulQA's exemplar and test items use the MC1 choices in row order, gold = the choice
labelled 1. WebQuestions flattens exactly like TriviaQA (§2.2 names no difference). Every prompt
here is the text prompt; the chat wrapping of §1.3 is not part of the file.

The later benchmarks follow GPT-Fathom's code (multiple_choice.py, reading_comprehension.py,
math_problem.py, fuzzy_match.py + prompt/base.py, lambada.py, code.py, agieval.py and the registry
YAMLs); where the reference and the code differ, the code wins. Every prompt is the one with all
its shots: the shot-dropping fallback (§1.2) depends on the model's context window and is not
applied. Decisions and differences found:
- MATH: the 4 exemplars of math/fewshot.jsonl are read with json and kept as read, so exemplars 1
  and 2 hold form feeds (from "\\frac") and backspaces (from "\\boxed"), and exemplar 4's question and
  answer end in "\\n" plus 8 spaces (the reference says each exemplar ends "...I hope it is
  correct."). Exemplar answers have no "Let's think step by step" of their own, unlike GSM8K's.
  The test question is the Hub row's `problem` (build_math.py).
- MBPP: code.py always renders 3 shots (mbpp.yaml sets no num_few_shot); every assert of
  test_list is shown, joined by "\\n"; test_imports are not shown; the prompts end in "." so the
  text has "..".
- ARC: arc.yaml's instruction is a plain YAML scalar, so its trailing space is dropped: the prompt
  starts "...about commensense reasoning.\\n\\n". no_MC_prompt=True.
- HellaSwag: hellaswag.yaml sets no no_MC_prompt, so it is False (the "Please answer with the
  letter" lines appear); the exemplar is train row 0, gold = int(label).
- Multiple choice (ARC, HellaSwag): the exemplars share one Random(47) made afresh in
  make_few_shot_prompt, each test item gets its own Random(47), so a 1-shot exemplar and the item
  get the same permutation.
- RACE: the exemplar is row 0 of the test rows, and the item's options follow its question with
  no newline ("...?(A) ..."), while the exemplar has one; exemplar and item each use a fresh
  Random(47), so item 0 repeats its exemplar's permutation. The shot block is followed by "\\n\\n".
- NQ, TyDi QA, LAMBADA: the exemplar messages go between the sample's system and user messages,
  then chat_prompt_to_text_prompt(Q_A_ENDING=True) as for TriviaQA; LAMBADA's file is the
  completion-model prompt (chat models get the raw messages, §2.7).
- AGIEval: the CSV is read with the csv module; pandas' skiprows numbers records, not physical
  lines (its C tokenizer counts a row when the record ends, and newlines inside a quoted cell do
  not end it; the file has 11 records on 354 lines, and only the record reading fits the
  [0,1,3,5,7,9] / [0,2,4,6,8,10] lists), so record 0 is the header, context = records 1,3,5,7,9
  and explanation = records 2,4,6,8,10 of the task's column; empty cells are dropped; each kept
  context cell is ast.literal_eval'ed; the number of shots is the number of non-empty explanation
  cells, whatever num_few_shot says (lsat-rc 3, sat-math 5, aqua-rat 5, sat-en-without-passage 3,
  math 4). sat-en-without-passage takes sat-en's column, so its exemplars keep their passages.
  The MC answer line repeats the letter ("A: The answer is (D) (D)..."), since the options carry
  their own "(X)"; a passage that is None or "" is left out.
- MGSM: 6 of the 8 native-language exemplars (mgsm.yaml), the English instruction and trigger of
  MATH_PROBLEM; the exemplar questions carry their native prefix ("Frage: ") and the TSV question
  has none. The TSV is read with csv.reader(delimiter="\\t") as build_mgsm.py does.
"""

import ast
import csv
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


def math_problem(shots, question):
    # MATH_PROBLEM.pre_process (math_problem.py): hard-coded instruction, "Q: "/"A: ", "\n\n" after the
    # shots, and the CoT trigger without a final period.
    prompt = "Follow the given examples and answer the question." + "\n\n"
    for s in shots:
        prompt += "Q: " + s["question"] + "\n" + "A: " + s["answer"] + "\n\n"
    return prompt + "\n\n" + "Q: " + question + "\nA: Let's think step by step"


def math():
    shots = rows(os.path.join(B, "math", "fewshot.jsonl"))[:4]
    for i, item in enumerate(rows(os.path.join(B, "math/data/default/test.first200.jsonl"), 2)):
        write("math-%d" % i, math_problem(shots, item["problem"]))


def mbpp():
    def task(row):
        return ("You are an expert Python programmer, and here is your task: " + row["prompt"]
                + ". Your code should pass these tests:\n\n" + "\n".join(row["test_list"]) + "\n[BEGIN]\n")
    shots = rows(os.path.join(B, "mbpp/data/sanitized/prompt.jsonl"), 3)
    fewshot = "".join(task(s) + s["code"] + "\n[DONE]" + "\n\n" for s in shots)
    for i, item in enumerate(rows(os.path.join(B, "mbpp/data/sanitized/test.jsonl"), 2)):
        write("mbpp-%d" % i, fewshot + task(item))


def multiple_choice(instructions, shots, item, mc_prompt):
    # MultipleChoice (multiple_choice.py); shots and item are (question, answers, gold index).
    mid = "\nPlease answer with the letter of the correct answer.\n" if mc_prompt else "\n"
    rng = random.Random(47)
    fewshot = ""
    for question, answers, label in shots:
        options, letter = make_abc(answers, label, rng)
        fewshot += "Q: " + question + "\n\n" + options + mid + "A: " + "(" + letter + ") " + answers[label] + "\n\n"
    question, answers, label = item
    options, _ = make_abc(answers, label, random.Random(47))
    return instructions + "\n\n" + fewshot + "Q: " + question + "\n\n" + options + mid + "A: "


def arc(name, fewshot_file, samples_file):
    folder = os.path.join(B, name, "data/gpt-fathom")
    shots = [(d["question"], d["choices"], d["answer"]) for d in rows(os.path.join(folder, fewshot_file), 1)]
    instructions = "The following are multiple choice questions (with answers) about commensense reasoning."
    for i, d in enumerate(rows(os.path.join(folder, samples_file), 2)):
        write("%s-%d" % (name, i), multiple_choice(instructions, shots, (d["question"], d["choices"], d["answer"]), False))


def hellaswag():
    folder = os.path.join(B, "hellaswag/data/default")
    shots = [(d["ctx"], d["endings"], int(d["label"])) for d in rows(os.path.join(folder, "train.first2.jsonl"), 1)]
    instructions = "Choose the most plausible continuation for the story."
    for i, d in enumerate(rows(os.path.join(folder, "validation.first10.jsonl"), 2)):
        write("hellaswag-%d" % i, multiple_choice(instructions, shots, (d["ctx"], d["endings"], int(d["label"])), True))


def race(name, path):
    # READ_COMPRE with MC=True, 1 shot, no_MC_prompt=False: the exemplar is test row 0 itself.
    data = rows(path, 2)
    instr = "The following are questions (with answers) about reading comprehension. "
    mc = "\nPlease answer with the letter of the correct answer.\n"
    shot = data[0]
    options, letter = make_abc(shot["options"], shot["ideal"], random.Random(47))
    fewshot = ("Passage: " + shot["passage"] + "\n" + "Q: " + shot["question"] + "\n" + options + mc
               + "A: " + "(" + letter + ") " + shot["options"][shot["ideal"]] + "\n\n")
    for i, item in enumerate(data):
        options, _ = make_abc(item["options"], item["ideal"], random.Random(47))
        prompt = (instr + "\n\n" + fewshot + "\n\n" + "Passage: " + item["passage"] + "\n"
                  + "Q: " + item["question"] + options + mc + "A: ")
        write("%s-%d" % (name, i), prompt)


def chat_samples(name, fewshot_path, samples_path):
    # FuzzyMatch / Lambada prompt_to_fewshot with 1 shot, then the Q_A_ENDING flattening.
    shot = rows(fewshot_path, 1)[0]["sample"]
    for i, item in enumerate(rows(samples_path, 2)):
        messages = item["input"][:-1] + shot + item["input"][-1:]
        write("%s-%d" % (name, i), flatten([(m["role"], m.get("name"), m["content"]) for m in messages]))


def agieval_shots(task):
    # pandas.read_csv(header=0, skiprows=lambda x: x not in ROWS, keep_default_na=False), by records.
    with open(os.path.join(B, "agieval", "few_shot_prompts.csv"), encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    column = records[0].index("sat-en" if task == "sat-en-without-passage" else task)
    contexts = [ast.literal_eval(records[r][column]) for r in (1, 3, 5, 7, 9) if records[r][column]]
    explanations = [records[r][column] for r in (2, 4, 6, 8, 10) if records[r][column]]
    return contexts[:len(explanations)]


def agieval_question(row, kind):
    text = ""
    if row.get("passage", "") not in (None, ""):
        text += "Passage: " + row["passage"] + "\n"
    text += "Q: " + row.get("question", "") + "\n"
    if kind == "MC":
        text += "".join(option + "\n" for option in row["options"])
    return text


def agieval(task, kind):
    # AGIEVAL, English, answer-only (the -5shot entries of agieval.yaml); kind is "MC" or "Cloze".
    instructions = ("Follow the given samples and answer the following multiple choice question." if kind == "MC"
                    else "Follow the given samples and answer the following cloze question.")
    fewshot = ""
    for s in agieval_shots(task):
        fewshot += agieval_question(s, kind)
        if kind == "MC":
            label = s["label"]
            fewshot += "A: The answer is (" + label + ") " + s["options"][ord(label) - ord("A")] + "\n\n"
        else:
            fewshot += "A: " + s.get("answer", "") + "\n\n"
    for i, item in enumerate(rows(os.path.join(B, "agieval/data/v1", task + ".first100.jsonl"), 2)):
        prompt = instructions + "\n\n" + fewshot + "\n\n" + agieval_question(item, kind) + "A: "
        write("agieval-%s-%d" % (task, i), prompt)


def mgsm(lang):
    shots = rows(os.path.join(B, "mgsm/fewshot", lang + ".jsonl"))[:6]
    with open(os.path.join(B, "mgsm/data", "mgsm_%s.tsv" % lang), encoding="utf-8") as f:
        items = [row for _, row in zip(range(2), csv.reader(f, delimiter="\t"))]
    for i, (question, _answer) in enumerate(items):
        write("mgsm-%s-%d" % (lang, i), math_problem(shots, question))


humaneval()
math()
mbpp()
arc("arc-e", "fewshot_easy.jsonl", "samples_easy.first200.jsonl")
arc("arc-c", "fewshot_challenge.jsonl", "samples_challenge.first200.jsonl")
hellaswag()
race("race-m", os.path.join(B, "race-m/data/gpt-fathom/samples_m.first100.jsonl"))
race("race-h", os.path.join(B, "race-h/data/gpt-fathom/fewshot_h.jsonl"))
chat_samples("nq", os.path.join(B, "nq/data/gpt-fathom/fewshot.jsonl"),
             os.path.join(B, "nq/data/gpt-fathom/samples.first200.jsonl"))
chat_samples("tydiqa-english", os.path.join(B, "tydiqa/data/gpt-fathom/fewshot_nocontext_english.jsonl"),
             os.path.join(B, "tydiqa/data/gpt-fathom/samples_nocontext_english.first200.jsonl"))
chat_samples("lambada", os.path.join(B, "lambada/data/gpt-fathom/fewshot.jsonl"),
             os.path.join(B, "lambada/data/gpt-fathom/samples.first200.jsonl"))
agieval("lsat-rc", "MC")
agieval("sat-math", "MC")
agieval("aqua-rat", "MC")
agieval("sat-en-without-passage", "MC")
agieval("math", "Cloze")
mgsm("de")
mgsm("zh")
mgsm("bn")
