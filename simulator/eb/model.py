"""The service model the simulator speaks: botocore's public Elastic Beanstalk model, plus the
members the EB CLI's own extended model adds (`model_extension.json`), so requests AWS's own
clients send (e.g. CreateEnvironment's TemplateSpecification) parse instead of being refused."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

import botocore.loaders
from botocore.model import ServiceModel


@cache
def _extension() -> dict[str, Any]:
    text = resources.files("simulator.eb").joinpath("model_extension.json").read_text()
    shapes: dict[str, Any] = json.loads(text)["shapes"]
    return shapes


def merged(public: dict[str, Any], extension: dict[str, Any]) -> dict[str, Any]:
    """`public` with `extension`'s new shapes added and its extra members merged in."""
    model = copy.deepcopy(public)
    shapes = model["shapes"]
    for name, shape in extension.items():
        if name not in shapes:
            shapes[name] = copy.deepcopy(shape)
        else:
            shapes[name].setdefault("members", {}).update(copy.deepcopy(shape["members"]))
            if "required" in shape:  # the EB CLI's model requires less (e.g. no OptionSettings)
                shapes[name]["required"] = list(shape["required"])
    return model


@cache
def service_model() -> ServiceModel:
    """The merged model (built once: it is read-only)."""
    public = botocore.loaders.Loader().load_service_model("elasticbeanstalk", "service-2")
    return ServiceModel(merged(public, _extension()), "elasticbeanstalk")
