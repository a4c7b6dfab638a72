"""``autodl leaderboard``: the leaderboard stored in a model file."""

HELP = "print the leaderboard of a model file"


def add_parser(sub, name):
    parser = sub.add_parser(
        name,
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + " (loading a joblib model file "
        "runs pickle: only load files you trust).",
    )
    parser.add_argument("model", help="a model file written by 'autodl fit'")
    parser.add_argument(
        "--top", type=int, default=20, help="rows shown (default: %(default)s)"
    )
    from autodl.cli._predict import add_trust

    add_trust(parser)
    return parser


def run(args):
    from autodl.cli._fit import print_leaderboard
    from autodl.cli._modelfile import load_model

    model = load_model(args.model, trust=args.trust)["model"]
    if not hasattr(model, "leaderboard_"):
        raise ValueError(
            f"{args.model} holds a {type(model).__name__}, which has no leaderboard; "
            "'autodl fit' writes model files with one."
        )
    print_leaderboard(model.leaderboard_, model.scoring_, top=args.top)
    return 0
