"""Demo data for a first run and for trying the product: plausible, fictitious, idempotent.

Every person, telephone number and credit code here is invented. Agency names
follow the public structure of Qianjiang's government; their principals and
codes do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Court, Office, Role, User
from accounts.passwords import DEMO_PASSWORD
from accounts.services import user_create
from cases.identifiers import org_code_check_char, uscc_check_char
from cases.models import Agency

# The agency whose litigation contact is a demo user (机关应诉联络员).
CONTACT_AGENCY = "潜江市人力资源和社会保障局"

OFFICE = {
    "name": "潜江市行政争议化解工作室",
    "short_name": "潜江行调室",
    "address": "湖北省潜江市园林街道章华中路（市信访局一楼）",
    "phone": "0728-6201234",
}

COURTS = [
    {
        "name": "潜江市人民法院",
        "code": "鄂9005",
        "level": Court.Level.BASIC,
        "address": "湖北省潜江市园林街道东城大道",
        "phone": "0728-6234567",
    },
    {
        "name": "湖北省汉江中级人民法院",
        "code": "鄂96",
        "level": Court.Level.INTERMEDIATE,
        "address": "湖北省潜江市园林街道江汉路",
        "phone": "0728-6345678",
    },
]

# name, short name, level, principal, title, phone
AGENCIES = [
    ("潜江市人民政府", "市政府", Agency.Level.CITY_GOVERNMENT, "周建华", "市长", "0728-6221001"),
    (
        "潜江市自然资源和规划局",
        "市自然资源和规划局",
        Agency.Level.CITY_DEPARTMENT,
        "王志刚",
        "局长",
        "0728-6221002",
    ),
    (
        "潜江市人力资源和社会保障局",
        "市人社局",
        Agency.Level.CITY_DEPARTMENT,
        "李红梅",
        "局长",
        "0728-6221003",
    ),
    (
        "潜江市住房和城乡建设局",
        "市住建局",
        Agency.Level.CITY_DEPARTMENT,
        "张海涛",
        "局长",
        "0728-6221004",
    ),
    (
        "潜江市城市管理执法委员会",
        "市城管执法委",
        Agency.Level.CITY_DEPARTMENT,
        "刘国平",
        "主任",
        "0728-6221005",
    ),
    ("潜江市公安局", "市公安局", Agency.Level.CITY_DEPARTMENT, "陈卫东", "局长", "0728-6221006"),
    (
        "潜江市市场监督管理局",
        "市市场监管局",
        Agency.Level.CITY_DEPARTMENT,
        "杨丽",
        "局长",
        "0728-6221007",
    ),
    (
        "潜江市交通运输局",
        "市交通运输局",
        Agency.Level.CITY_DEPARTMENT,
        "赵永强",
        "局长",
        "0728-6221008",
    ),
    (
        "潜江市卫生健康委员会",
        "市卫健委",
        Agency.Level.CITY_DEPARTMENT,
        "黄晓燕",
        "主任",
        "0728-6221009",
    ),
    (
        "潜江市应急管理局",
        "市应急管理局",
        Agency.Level.CITY_DEPARTMENT,
        "吴俊",
        "局长",
        "0728-6221010",
    ),
    (
        "潜江市农业农村局",
        "市农业农村局",
        Agency.Level.CITY_DEPARTMENT,
        "徐明亮",
        "局长",
        "0728-6221011",
    ),
    (
        "潜江市水利和湖泊局",
        "市水利和湖泊局",
        Agency.Level.CITY_DEPARTMENT,
        "孙斌",
        "局长",
        "0728-6221012",
    ),
    ("潜江市民政局", "市民政局", Agency.Level.CITY_DEPARTMENT, "马秀兰", "局长", "0728-6221013"),
    ("潜江市教育局", "市教育局", Agency.Level.CITY_DEPARTMENT, "朱文军", "局长", "0728-6221014"),
    ("潜江市医疗保障局", "市医保局", Agency.Level.CITY_DEPARTMENT, "胡静", "局长", "0728-6221015"),
    (
        "潜江市退役军人事务局",
        "市退役军人事务局",
        Agency.Level.CITY_DEPARTMENT,
        "郭亮",
        "局长",
        "0728-6221016",
    ),
    (
        "潜江市文化和旅游局",
        "市文旅局",
        Agency.Level.CITY_DEPARTMENT,
        "林芳",
        "局长",
        "0728-6221017",
    ),
    ("潜江市财政局", "市财政局", Agency.Level.CITY_DEPARTMENT, "何志勇", "局长", "0728-6221018"),
    (
        "潜江市生态环境局",
        "市生态环境局",
        Agency.Level.CITY_DEPARTMENT,
        "高峰",
        "局长",
        "0728-6221019",
    ),
    ("潜江市园林街道办事处", "园林街道", Agency.Level.TOWNSHIP, "罗晓东", "主任", "0728-6231001"),
    ("潜江市杨市街道办事处", "杨市街道", Agency.Level.TOWNSHIP, "梁春生", "主任", "0728-6231002"),
    ("潜江市周矶街道办事处", "周矶街道", Agency.Level.TOWNSHIP, "宋立新", "主任", "0728-6231003"),
    ("潜江市广华街道办事处", "广华街道", Agency.Level.TOWNSHIP, "郑红", "主任", "0728-6231004"),
    ("潜江市竹根滩镇人民政府", "竹根滩镇", Agency.Level.TOWNSHIP, "谢国庆", "镇长", "0728-6231005"),
    ("潜江市熊口镇人民政府", "熊口镇", Agency.Level.TOWNSHIP, "韩雪", "镇长", "0728-6231006"),
    ("潜江市王场镇人民政府", "王场镇", Agency.Level.TOWNSHIP, "唐建军", "镇长", "0728-6231007"),
    ("潜江市高石碑镇人民政府", "高石碑镇", Agency.Level.TOWNSHIP, "冯伟", "镇长", "0728-6231008"),
    ("潜江市浩口镇人民政府", "浩口镇", Agency.Level.TOWNSHIP, "董丽娟", "镇长", "0728-6231009"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: Role
    organisation: str  # "office", "court", "agency" or ""


DEMO_USERS = [
    DemoUser("clerk", "李娜", Role.CLERK, "office"),
    DemoUser("mediator", "张建国", Role.MEDIATOR, "office"),
    DemoUser("mediator2", "王丽", Role.MEDIATOR, "office"),
    DemoUser("mediator3", "孙伟", Role.MEDIATOR, "office"),
    DemoUser("head", "刘振华", Role.HEAD, "office"),
    DemoUser("court", "陈静", Role.COURT_LIAISON, "court"),
    DemoUser("gov", "赵敏", Role.GOV_LIAISON, ""),
    DemoUser("agency", "吴敏", Role.AGENCY_CONTACT, "agency"),
    DemoUser("admin", "周立", Role.ADMIN, ""),
]


def agency_uscc(index: int) -> str:
    """A well-formed organ code for Qianjiang (11 + 429005 + organisation code)."""
    body8 = f"{31000000 + index * 7919:08d}"
    org = body8 + org_code_check_char(body8)
    body17 = "11429005" + org
    return body17 + uscc_check_char(body17)


@transaction.atomic
def seed_reference() -> tuple[Office, Court]:
    office, _ = Office.objects.get_or_create(name=OFFICE["name"], defaults=OFFICE)
    courts = []
    for data in COURTS:
        court, _ = Court.objects.get_or_create(code=data["code"], defaults=data)
        courts.append(court)
    for index, (name, short, level, principal, title, phone) in enumerate(AGENCIES, start=1):
        Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "level": level,
                "uscc": agency_uscc(index),
                "principal_name": principal,
                "principal_title": title,
                "phone": phone,
            },
        )
    return office, courts[0]


ROSTER = {
    "mediator": ("征收补偿、土地资源", ["EXPROPRIATION", "LAND_RESOURCE"]),
    "mediator2": ("社会保障、工伤认定", ["WORK_INJURY_SOCIAL", "INFO_DISCLOSURE"]),
    "mediator3": ("行政处罚、市场监管", ["PENALTY", "LICENSING", "COERCION"]),
    "head": ("行政协议、行政赔偿", ["ADMIN_AGREEMENT", "COMPENSATION"]),
}


@transaction.atomic
def seed_roster() -> None:
    """The office's mediator roster: the demo mediators and the head."""
    from cases.models import DisputeCategory, Mediator

    for username, (specialities, codes) in ROSTER.items():
        user = User.objects.get(username=username)
        mediator, created = Mediator.objects.get_or_create(
            user=user,
            defaults={
                "office": user.office,
                "specialities": specialities,
                "certificate_no": f"潜调{user.pk:04d}",
            },
        )
        if created:
            mediator.categories.set(DisputeCategory.objects.filter(code__in=codes))


@transaction.atomic
def seed_users(office: Office, court: Court) -> list[User]:
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = user_create(
                username=demo.username,
                name=demo.name,
                role=demo.role,
                password=DEMO_PASSWORD,
                office=office if demo.organisation == "office" else None,
                court=court if demo.organisation == "court" else None,
                agency=Agency.objects.get(name=CONTACT_AGENCY)
                if demo.organisation == "agency"
                else None,
            )
        users.append(user)
    return users
