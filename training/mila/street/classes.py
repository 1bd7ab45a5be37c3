"""Cityscapes train IDs, names and colours; which of them the street renderer draws."""
from typing import List, Tuple

CLASS_NAMES: List[str] = [
    "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
    "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
    "motorcycle", "bicycle",
]
CLASS_COLORS: List[Tuple[int, int, int]] = [
    (128, 64, 128), (244, 35, 232), (70, 70, 70), (102, 102, 156), (190, 153, 153),
    (153, 153, 153), (250, 170, 30), (220, 220, 0), (107, 142, 35), (152, 251, 152),
    (70, 130, 180), (220, 20, 60), (255, 0, 0), (0, 0, 142), (0, 0, 70), (0, 60, 100),
    (0, 80, 100), (0, 0, 230), (119, 11, 32),
]
IGNORE_INDEX = 255

ROAD, SIDEWALK, BUILDING, WALL, FENCE, POLE, TRAFFIC_LIGHT, TRAFFIC_SIGN = range(8)
VEGETATION, TERRAIN, SKY, PERSON, RIDER, CAR, TRUCK, BUS, TRAIN, MOTORCYCLE, BICYCLE = range(8, 19)

# Every class except train: the renderer has no rail tracks.
RENDERED_CLASSES: List[int] = [c for c in range(19) if c != TRAIN]
