"""Part 1: sentences from public school news pages (source URL on each), see README.

Each item is a sentence (or two) taken from the page and shortened to one report where
needed. Items written `MA(...)` keep the sentence's wording but put roster schools and
people in (and a year matching sent_at); the others keep the page's own schools and people,
which the spec says are kept whole. Dates written in a page's own year are moved to the
2026/27 school year so that they agree with sent_at.
"""

from __future__ import annotations

from .helpers import MA, A, C, M, Multi, X

U_YONGAN = "http://jizihe.com/page/2021/0825/8806085.shtml"
U_SUINING = "http://m.shaoyangnews.net/c/202411/22/1501071.html"
U_LIUQING = "http://www.ventaj.com/thread-308343-1-260.html"
U_SHANGLI = "https://www.meipian.cn/3b8uzywu"
U_YIWU = "http://news.zgyww.cn/system/2019/09/27/010172097.shtml"
U_NAXI = "http://m.sxjzz.cn/szjy/luzhou/20160617/1000010000021062.html"
U_FENGHUANG = "http://moment.rednet.cn/rednetcms/news/localNews/20150403/84931.html"
U_YUEQING = "http://www.clarkstoncoffeeclub.com/art/2022/11/1/art_1390261_59213287.html"
U_YUGAN = "https://xxrb.jxnews.com.cn/system/2025/04/15/020841881.shtml"
U_YUANJIANG = "http://zgxbrmw.com/2022/jiaoyu_0513/29428.html"
U_CHANGZHOU = "http://www.jfl.tn.czedu.cn/html/article6470132.html"
U_JINSHA = "http://teknodron.com/newdetail-83818.html"
U_CHANGSHOU = "https://wxredian.com/art?id=a8705456e6e34eda131cc4657f1d52c3"
U_LIJIAO = "http://www.bcrmtzx.com/folder50/folder57/2025-11-18/jACUzVSO4QxzznhK.html"
U_MINJIN = "http://www.hncsmj.org.cn/article/detail-6069583.html"
U_CHILING = "https://zpxww.cn/news_show.aspx?id=8982"
U_HKYZ = "http://www.hkyz.net:80/info/39564"
U_JINXIANG = "http://www.yunhepan.com/news/249685.shtml"
U_JNXC = "https://jnxc.xhedu.sh.cn/cms/app/info/doc/index.php/25391"
U_ZHUANGHE = "https://e-chinaedu.cn/html/jydt/2013/11-11/c_23106.shtml"
U_HUBEI = "http://acftu.people.com.cn/n1/2024/1111/c67502-40358563.html"
U_GANSU = "http://szb.gansudaily.com.cn/gsrb/202106/29/c257338.html"
U_XIAOXI = "https://www.hnwomen.org.cn/2010/06/04/104898.html"
U_SHOUXIANG = "http://lhsxlxx.com/shownews.asp?El_id=27&NEWS_id=330"
U_JINGSHAN = "http://m.sv90.cn/a/jingshanjiaoyu/2022/0621/39976.html"
U_BINHU = "http://jinrigx.com/model/newshow.aspx?id=17488"
U_ZOUCHENG = "https://sjb.qlwb.com.cn/qlwb/content/20151030/ArticelHc03002FM.htm"
U_HANDAN = "http://biocind.com/html/news/handan/handannews/2017_03/25/218209191.html"
U_LONGQUAN = "http://ok153.com/2020/difang/1339/0612/373455.html"
U_YINGSHANHONG = "https://meipian.cn/4o3pmh2o"
U_DONGBEI = "http://ibeijing.net/news/474715.htm"
U_JINGJINJI = "http://m.lxroad.com/lxbk/ielts1/78845.html"
U_RUCHENG = "http://jyt.hunan.gov.cn/jyt/sjyt/hnzxxjsfzzx/jsfzzxxwdt/202405/t20240521_33307961.html"
U_ZHOUNAN = "https://ylszxc.cn/cms/guangongwei/279729.html"
U_BISHAN = "https://meipian.cn/2ywbu9fi"
U_SHANTIAN = "http://dxsbao.com/shijian/616198.html"
U_YAOZHAOLOU = "https://www.wlhyyx.com/2025/0825/c22002a469284/page.html"
U_HUZHU = "https://zzwb.zynews.cn/html/2011-05/13/content_273561.htm"
U_XINGYI = "http://qianxiuwang.com/jiaoyu/zixun/20201024/19744.html"
U_QUANNAN = "https://mentorsc.com/news/35256/LOCAL_TREND/1"
U_YINGTAN = "https://hfnxjk.com/ipvs/news/440861.html"
U_LEIBO = "http://bbs.we54.com/bbs/2021/0408/28976.html"
U_CHAXI = "http://guoqing.china.com.cn/2025-03/18/content_117772528.htm"
U_QIZHUANG = "https://jianpian.cn/a/13fhtrk6"
U_MALOU = "http://m.ikcnc-en.com/article/253870.html"
U_QISHENG = "http://www.xiaoshaoyu.com/article/243600.html"
U_ERDAO = "http://suining.scjyxxw.com/jichujiaoyu/20221019/166615557176602.html"
U_NANJIAO = "https://njxx.tcjyxx.cn/info/1292/1662.htm"
U_CHENGDONG = "https://meipian.cn/4qa4geiv"
U_TANGTIAN = "http://m.maryquant.cc/Item/Show.asp?d=6457&m=1"
U_XINDU = "http://sxjzz.cn/gaozhong/news/20170930/1000010000055946.html"
U_DACHENG = "https://xxw.hzgsedu.cn/article/detail/ycx_50-95502.htm"
U_QUYI = "http://www.avanti-solutions.com/CdZCoqpKkX/wz/xwzx/qnyw/content/post_1414150.html"
U_HESHUI = "https://meipian.cn/37ghxpn0"
U_BEIJIAO = "http://www.bjxx.tn.czedu.cn/html/article6864255.html"
U_BAIZHANG = "http://www.bzxx.xbjyfw.cn/html/article5063645.html"
U_TONGPING = "https://tpxx.wjjy.cn/newsInfo.aspx?pkId=11358"
U_HUANGSHA = "https://youyaqueen.com/index.php?c=show&id=9195"
U_JINNIU = "http://m.arizonaweedmart.com/gaozhong/news/20231023/1000010000351083.html"
U_NAPO = "http://xynyumi.cn/education/content/2020-06/29/content_23293855.htm"
U_SONGPEI = "https://zs-bk.com/wap/2011-04/07/content_4293275.htm"
U_QINGDAO = "http://big5.china.com.cn/gate/big5/cppcc.china.com.cn/2019-09/09/content_75186199.htm"
U_XINZHOU = "http://outofmemory.cn/bake/4807370.html"
U_YUANJIANG36 = (
    "https://wulumuqi.baogaosu.com/xinwen/%E5%90%8D%E6%B2%B3%E5%8C%97%E6%8F%B4%E7%96%86"
    "%E6%95%99%E5%B8%88%E6%9D%A5%E4%B8%89%E5%8D%81%E5%85%AD%E5%9B%A2%E4%B8%AD%E5%AD%A6"
    "/30504246"
)
U_DONGQING = "http://www.dqsy.tn.czedu.cn/html/article3104964.html"
U_ZHUZHOU = "http://bk.zzlib.net:88/paper/evening/201904/77693.html"
U_TONGHUA = "https://ndjsjx.net/lxyz/ShowArticle.asp$ArticleID=2031.htm"
U_ZHANGSHAN = "http://paper.jyb.cn/zgjyb/html/2023-03/17/content_621286.htm?div=-1"
U_HANGBU = "http://old.scjyxx.net/DocHtml/1/Article_20207150005.html"
U_SHUCHA = "http://old.scjyxx.net/DocHtml/1/Article_201531110427.html"
U_YAOZUI = "http://old.scjyxx.net/DocHtml/1/Article_20163220708.html"
U_WULI = "http://8.134.116.66:6060/Content-1453017.html"
U_TANGCHI = "http://old.scjyxx.net/DocHtml/1/Article_201552913709.html"
U_HAIKOU = "http://sznianjian.com/show.php?mlid=10372"
U_MIANZHU = "https://www.fx361.cc/page/2019/0804/17617570.shtml"
U_CHISHUI = "https://scholarmate.com/S/VmBe6K"

F_LEWU = "http://www.otaserver.cn/a/2631.html"
F_FUSHUN = "http://zg.7890.net/c357778c0c92b190d1de1b2eac.html"
F_TONGXIANG = "http://00-edu.com/e/DoPrint/index.php?classid=3418&id=59056"
F_LUAN = "https://ht.luaninfo.com/laxw/zwxx/content_134018"
F_DAISHAN = "https://zjjyzx.com/d/48260?site=zjjyzx"
F_TONGZHOU = (
    "http://big5.news.cn/gate/big5/cq.news.cn/20250929/8f03d743c6f54553a2cb59b3e6b7beb2/c.html"
)
F_XINGUANG = "http://m.arizonaweedmart.com/xiaoxue/news/20171218/1000010000064231.html"
F_SHANGYU = "http://00-edu.com/e/DoPrint/index.php?classid=3418&id=52954"
F_XILIN = "https://www.meipian.cn/5gitjt6k"
F_JIANCHUAN = "https://wxredian.com/art?id=b2f3c563f6ae0668877814df2a855b56"
F_LEISHAN = "http://qnzz.youth.cn/place/xianji/201408/t20140809_5611879.htm"
F_TONGJIANG = "http://znxyw.org/bencandy.php?fid=102&id=229094"
F_KUANGDA = "https://dukashe.com/html/2016/01/13/349310.shtml"
F_BASU = "http://xn.caac.gov.cn/XN_XXGK/XN_DQWH/202211/t20221102_216034.html"
F_GUANLING = "http://cte.scnu.edu.cn/a/20251101/1351.html"
F_YSXW = "http://www.ysxw.cn/p/54054.html"
F_SHNU = "https://jjc.shnu.edu.cn/b3/57/c28412a832343/page.htm"
F_SIZHONG = "https://cn.chinadaily.com.cn/a/202506/12/WS684a7520a310205377037ba6.html"
F_ZHANGSHAN = "http://paper.jyb.cn/zgjyb/html/2023-03/17/content_621286.htm?div=-1"
F_ZHANGYE = "http://gzxw.com.cn/index/news/detail_news.html?id=33176"
F_HOPE = "http://www.project-hope.sh.cn/pc/newsdetail/id/135"
F_ZHONGSHAN = (
    "https://www.zsjsjy.com/cms/f71043fcf9e74efd9ff646e8079851f4/article/"
    "6d62ad3383384a09aaef71fe88e465d9"
)
F_EOL = "https://news.eol.cn/yaowen/202412/t20241224_2647871.shtml"
F_CDU = "https://kjc.cdu.edu.cn/info/1022/2841.htm"
F_KUANCHENG = "http://www.victorzhang.cn/page/2019/0910/9854540.shtml"
F_HYSXW = "http://www.hysxw.com.cn/q/2025/9664.html"
F_SUZHOU = "http://www.xwslwj.com/dujia/zixun/20230510/87675.html"
F_ZHENXIONG = "https://ghstf.org.cn/ds/210723b0d5.html"
F_XUNJIANG = "http://ldwb.workerbj.cn/content/2023-10/30/content_134203.htm"
F_XUSHI = "http://www.tanxianzhehuwai.com.cn/content/2020/12/23/8744382.html"
F_XINXIANG = "http://www.yqzksb.com/html/zhoubian/xinxiang/2020_09/28/35115843.html"
F_GUANGZONG = "http://huayuanjiju.com/system/2023/05/19/101151376.shtml"
F_ZHAOTONG = "https://carvingitup.com/article/show-105458.html"
F_LONGHUI = "https://hsjy.voc.com.cn/article/60/52079196.html"
F_JIETOU = "http://manyang315.com/561/2012/03/02/61@42232.htm"

# batch 7 (branch c2): pages not used above
G_YUHUAN = "https://e-chinaedu.cn/html/difang/2019/xinxihua_1203/21673.shtml"
G_HONGZE = "http://www.js.xinhuanet.com/20250529/acc30b4d9abe435f97ffd85eae711416/c.html"
G_SANCHAHE = "http://cmr6829.com/news/detail/91423.html"
G_XUANHAN = "http://dazhou.scjyxw.com/news/20241230/1000010000402321.html"
G_DAMING = "https://meipian.cn/370nlefz"
G_YANGXI = "http://dashoubi.org.cn/news/zxzx/2018-06-26/32993.html"
G_QIANLINSHAN = "https://qlsxx.szlgedu.org.cn/info/1041/1966.htm"
G_DONGXI = "http://www.davidramsphotography.com/info/1041/34064.htm"
G_JINCHANG = "http://jcxcsx.gusuedu.cn/info/1020/4446.htm"
G_LINYI = "http://www.digipub.cc/dy/article/KG93Q7VR0530WJIN.html?f=post2020_dy_recommends"
G_RUICHANG = "http://www.yyhmb.com/article/9347.html"
G_XUJIAOYUAN = "http://xjyfx.xhedu.sh.cn/cms/app/info/doc/index.php/29351"
G_GAOXIN = "http://www.17wendao.com/news/view_71090.html"
G_ANKANG = "http://www.blueztm.com/news/html/2021-9/202191410505341321694.html"
G_WENZHOU = "http://www1.huohaoduo.net/jbzs/5272.html"
G_ZUNYI = "http://www.shrxnews.com/info/172355.html"
G_JURONG = "http://courses.teacher.com.cn/DisplayInfo.aspx?ID=106728&subject=41&item=3"
G_NANCHANG = "https://meipian.cn/378ni6q9"
G_FENGYING = "http://seeri-js.com/dongnandongtai/341.html"
G_YUCAI = "http://m.yucaijiaoyu.net/yckx/xydt/876.html"
G_XIXIASHU = "http://www.xxsxx.xbjyfw.cn/html/article1087687.html"
G_QNJS = "https://www.e-chinaedu.cn/html/jydt/2023/08-28/c_113113.shtml"
G_YAAN = "https://jyj.yaan.gov.cn/xinwen/show/30a390c8-0f1c-4aa1-ae3a-7e7b56c0aadc.html"
G_JINNIU = "http://scfbfile.3xmt.com/news/wx/detail?newsid=480914"
G_ZHUSHAN = "http://wap.zhushan.cn/p/246571.html"
G_BAYI = "https://jianpian.cn/a/11n1llq0"
G_SUIXIAN = "http://www.hflpw.com/portal.php?aid=262451&mod=view"
G_DANCHENG = "http://vocabexpress.net/content/2011-02/21/content_81410.htm"
G_BEIWANG = "http://m.pleasurethai.com/article/192311.html"
G_ZHAOHUI = (
    "http://www.ntccjy.com/jssntsfxxdyfsxx/jydd/content/271eb3e4-61a2-45bd-af2a-c443e5c8c3d8.html"
)
G_PINGGUOYUAN = "https://fx361.cc/page/2020/1026/7139904.shtml"
G_SONGJIANG = "https://www.163.com/dy/article/K4QNOFS9055040N3.html"
G_DUANSHAN = "http://m.ikcnc-en.com/article/156345.html"
G_DONGKUANTING = "https://jianpian.cn/a/15vkyxbw"
G_LIYAN = "http://sc.china.com.cn/2024/difang/1336/0603/538276.html"
G_SONGXIAN = "http://lywb.lyd.com.cn/html/2013-05/31/content_945874.htm"
G_SHOUFENG = "https://deyang.scjyxw.com/news/20180930/1000010000092805.html"
G_SHIPODIAN = "http://gzxiangguang.com/html/DocHtml3472016513302426933170.html"
G_XIANGYU = "http://sffilm.net/html/jtnews/bysyxx/2012/0917/5988.html"
G_PUTIAN = "http://ptjxxy.com/xydt/20211202/3619203201.aspx"
G_JIADING = "https://jxy.jdjy.sh.cn/xueyuanxinwen/201973.htm"
G_GUIZHOU = (
    "https://guiyang.baogaosu.com/xinwen/%E8%B4%B5%E5%B7%9E%E4%BB%8A%E5%B9%B4%E9%80%89%E6%B4%BE"
    "%E4%B8%A4%E5%8D%83%E5%90%8D%E6%95%99%E5%B8%88%E6%94%AF%E6%95%99/34233450"
)

ITEMS = [
    # --- lesson delivery -------------------------------------------------------------
    M(
        "郑建华",
        "2027-06-18 09:00",
        "6月15日至17日,永安小学与结对的三所乡镇学校——雷公庙小学、中河口小学、尧天坪小学开展了送教活动,选取了3堂体育课及1堂心理健康教育课进行送教。",
        A(
            "lesson_delivery",
            "done",
            "06-15",
            "永安小学 雷公庙小学 中河口小学 尧天坪小学",
            "永安小学",
            None,
            lessons=4,
        ),
        source=U_YONGAN,
    ),
    MA(
        "郑建华",
        "2027-06-18 09:05",
        "6月15日至17日,漳平市实验小学与结对的三所乡镇学校——城关小学、新民小学、桂林中心学校开展了送教活动,选取了3堂体育课及1堂心理健康教育课进行送教。",
        A("lesson_delivery", "done", "06-15", "SX CG XM GL", "SX", None, lessons=4),
        source=U_YONGAN,
    ),
    MA(
        "吴学红",
        "2027-06-20 18:00",
        "根据结对学校在体育教育和心育教育的现状,二小选取了3堂体育课及1堂心理健康教育课,今天到一农场小学进行送教。",
        A("lesson_delivery", "done", "06-20", "FH2 YNC", "FH2", "YNC", lessons=4),
        source=U_YONGAN,
    ),
    M(
        "黄丽萍",
        "2026-11-22 10:00",
        "11月21日,绥宁县思源实验学校成功举办了一场“送教下乡”活动,王惠筠老师和赵家鑫老师早早地来到了关峡学校。",
        A(
            "lesson_delivery",
            "done",
            "11-21",
            "绥宁县思源实验学校 关峡学校",
            "绥宁县思源实验学校",
            "关峡学校",
            "王惠筠 赵家鑫",
        ),
        source=U_SUINING,
    ),
    MA(
        "邱克红",
        "2026-11-21 19:00",
        "今天江滨小学成功举办了一场“送教下乡”活动,卢志米老师和叶潇潇老师早早地来到了黄田镇中心学校,带来了数学课和体育课。",
        A("lesson_delivery", "done", "11-21", "JB HT", "JB", "HT", "卢志米 叶潇潇"),
        source=U_SUINING,
    ),
    M(
        "张凤琴",
        "2027-03-25 08:30",
        "昨日,市政协组织部分政协委员到柳青小学金绣路校区开展了“送教下乡”活动,为师生们演绎了精彩的语文课和体育课课堂教学。",
        A("lesson_delivery", "done", "03-24", "柳青小学金绣路校区", None, "柳青小学金绣路校区"),
        source=U_LIUQING,
    ),
    M(
        "刘文斌",
        "2027-04-03 12:00",
        "近日,北京市海淀区实验小学王喆、张海红、陈爱文、连玉玲4名教师为凤凰县文昌阁小学带来了语文、数学、音乐、班会等4堂精彩的教学示范课,这是两校结成友谊学校以来第4次“送教”。",
        A(
            "lesson_delivery",
            "done",
            None,
            "北京市海淀区实验小学 凤凰县文昌阁小学",
            "北京市海淀区实验小学",
            "凤凰县文昌阁小学",
            "王喆 张海红 陈爱文 连玉玲",
            participants=4,
            lessons=4,
        ),
        source=U_FENGHUANG,
    ),
    MA(
        "苏雅琴",
        "2027-04-03 12:30",
        "近日,实小陈志强、黄丽萍2名教师为溪南中心学校带来了数学、语文2堂精彩的教学示范课,这是两校结对以来实小第4次来溪南“送教”。",
        A(
            "lesson_delivery",
            "done",
            None,
            "SX XN",
            "SX",
            "XN",
            "陈志强 黄丽萍",
            participants=2,
            lessons=2,
        ),
        source=U_FENGHUANG,
    ),
    M(
        "许鲁湘",
        "2027-05-12 17:00",
        "5月11日,沅江市桔园学校一行十三人来到共华镇中心小学送教,并上公开示范课。",
        A(
            "lesson_delivery",
            "done",
            "05-11",
            "沅江市桔园学校 共华镇中心小学",
            "沅江市桔园学校",
            "共华镇中心小学",
            participants=13,
        ),
        source=U_YUANJIANG,
    ),
    M(
        "许鲁湘",
        "2027-05-11 17:05",
        "上午第二节课,桔园学校廖静老师在共华镇中心小学上数学课《图形的运动》公开课示范,获得了大家的一致好评。",
        A(
            "demo_lesson",
            "done",
            "05-11",
            "桔园学校 共华镇中心小学",
            teachers="廖静",
            subject="数学",
            title="图形的运动",
            lessons=None,
        ),
        source=U_YUANJIANG,
    ),
    MA(
        "张茂玉",
        "2027-05-12 18:00",
        "5月11日,福海二小一行十三人来到齐干吉迭乡小学送教,并上公开示范课,马欣瑞老师上数学课《图形的运动》。",
        A(
            "lesson_delivery",
            "done",
            "05-11",
            "FH2 QG",
            "FH2",
            "QG",
            "马欣瑞",
            "数学",
            "图形的运动",
            participants=13,
        ),
        source=U_YUANJIANG,
    ),
    M(
        "吴丽琼",
        "2027-05-20 19:00",
        "近日,民进岳麓区工委前往平江县汉昌学校开展送课下乡活动,给孩子们带来了语文、数学、美术示范课。",
        A("lesson_delivery", "done", None, "平江县汉昌学校", None, "平江县汉昌学校"),
        source=U_MINJIN,
    ),
    MA(
        "叶潇潇",
        "2027-05-21 18:00",
        "今天江滨小学前往淤上乡小学开展送课下乡活动,叶潇潇老师执教的语文课《太阳是大家的》,让孩子们懂得了分享和感恩。",
        A(
            "lesson_delivery",
            "done",
            "05-21",
            "JB YS",
            "JB",
            "YS",
            "叶潇潇",
            "语文",
            "太阳是大家的",
        ),
        source=U_MINJIN,
    ),
    M(
        "卢志米",
        "2027-05-18 09:00",
        "2027年5月17日,湖南省中小学教师发展中心、芙蓉区教育局携东郡小学、东郡二小、曙光路小学部分党员代表及志愿者老师来到汝城县文明瑶族乡第一片小学开展公益“送教下乡”活动。",
        A(
            "lesson_delivery",
            "done",
            "05-17",
            "东郡小学 东郡二小 曙光路小学 汝城县文明瑶族乡第一片小学",
            None,
            "汝城县文明瑶族乡第一片小学",
        ),
        source=U_RUCHENG,
    ),
    M(
        "卢志米",
        "2027-05-18 09:10",
        "最后举行了简短而隆重的捐赠仪式,为第一片小的所有学生捐赠了学习用具。",
        A("resource_support", "done", None, "第一片小"),
        source=U_RUCHENG,
    ),
    M(
        "好吾兰",
        "2026-10-15 20:00",
        "10月14日,省工行工作队邀请周南实验中学开展送教下乡活动,周南实验中学的老师们来到了马底驿乡长界九校。",
        A(
            "lesson_delivery",
            "done",
            "10-14",
            "周南实验中学 马底驿乡长界九校",
            "周南实验中学",
            "马底驿乡长界九校",
        ),
        source=U_ZHOUNAN,
    ),
    M(
        "许鲁湘",
        "2027-05-13 07:30",
        "昨日,从中原区互助路小学选派的9名骨干教师,为新密市来集镇受帮扶学校分别送去了语文、数学、英语三门公开课。",
        A(
            "lesson_delivery",
            "done",
            "05-12",
            "中原区互助路小学",
            "中原区互助路小学",
            None,
            participants=9,
        ),
        source=U_HUZHU,
    ),
    MA(
        "吴学红",
        "2027-05-13 08:00",
        "昨日,福海二小选派的3名骨干教师,为齐小、解小、一农场小学分别送去了语文、数学、英语三门公开课。",
        A("lesson_delivery", "done", "05-12", "FH2 QG JX YNC", "FH2", None, participants=3),
        source=U_HUZHU,
    ),
    M(
        "张炜",
        "2026-09-26 20:00",
        "9月25日一早,赤水一小的课堂里,上海名师展开“送教进课堂”活动,有作文课、全英文课和数学课。",
        A("lesson_delivery", "done", "09-25", "赤水一小", None, "赤水一小"),
        source=U_CHISHUI,
    ),
    # --- sync classes ----------------------------------------------------------------
    M(
        "陈志强",
        "2026-11-05 17:00",
        "上栗镇中心小学和泉塘小学、榉溪小学进行课堂专递,罗汝琴老师教授《忆读书》,让两所乡村学校的孩子们享受了一场读书盛宴。",
        A(
            "sync_class",
            "done",
            None,
            "上栗镇中心小学 泉塘小学 榉溪小学",
            teachers="罗汝琴",
            title="忆读书",
        ),
        source=U_SHANGLI,
    ),
    M(
        "陈志强",
        "2026-11-05 17:05",
        "通过大屏幕,上栗小学谢海兰老师声情并茂地向石枧小学和妙岭小学的孩子们讲解课堂知识,提问并互动。",
        A(
            "sync_class",
            "done",
            None,
            "上栗小学 石枧小学 妙岭小学",
            teachers="谢海兰",
            mode="online",
        ),
        source=U_SHANGLI,
    ),
    MA(
        "黄丽萍",
        "2026-11-06 18:00",
        "今天一课三地,隔空传递,实小黄丽萍老师通过专递课堂教授《美丽的小兴安岭》,城北小学和新民小学的孩子们同步学习。",
        A("sync_class", "done", "11-06", "SX CB XM", teachers="黄丽萍", title="美丽的小兴安岭"),
        source=U_SHANGLI,
    ),
    M(
        "马欣瑞",
        "2026-09-25 12:00",
        "9月24日,义乌保联小学的陈丁老师同时给本校和楂林小学、黄山小学这相距几十里的学生上了一堂《水浒传》人物外貌描写课。",
        A(
            "sync_class",
            "done",
            "09-24",
            "义乌保联小学 楂林小学 黄山小学",
            teachers="陈丁",
            title="水浒传",
            lessons=1,
        ),
        source=U_YIWU,
    ),
    M(
        "马欣瑞",
        "2026-09-25 12:10",
        "当天,这三所学校开展了同步课堂、名师课堂、同步研修等活动,现场参与老师200余人。",
        A("sync_class", "done", None, "", participants=200),
        source=U_YIWU,
    ),
    MA(
        "孙慧霞",
        "2026-09-24 17:30",
        "今天,福海二小的孙慧霞老师同时给二小、齐小、解小这相距几十里的学生上了一堂英语课,利用互联网请齐小、解小学生同步回答问题。",
        A("sync_class", "done", "09-24", "FH2 QG JX", teachers="孙慧霞", subject="英语", lessons=1),
        source=U_YIWU,
    ),
    M(
        "吴学红",
        "2026-09-26 09:00",
        "全面推进“互联网+义务教育”,推进1000所中小学校结对帮扶,是浙江省政府2019年民生实事项目之一。",
        C(),
        source=U_YIWU,
    ),
    M(
        "叶潇潇",
        "2027-06-17 18:00",
        "6月16日,泸州纳溪逸夫小学开展了区域化“同步课堂”教学活动,展示了语文、音乐和英语三个学科的优质课,与新乐小学、大渡小学、合面小学和护国小学等远端学校进行同步直播互动教学。",
        A("sync_class", "done", "06-16", "泸州纳溪逸夫小学 新乐小学 大渡小学 合面小学 护国小学"),
        source=U_NAXI,
    ),
    MA(
        "卢志米",
        "2027-06-16 18:00",
        "今天江滨小学开展了区域化“同步课堂”教学活动,展示了语文、音乐和英语三个学科的优质课,与淤上乡小学、黄田镇中心学校进行同步直播互动教学。",
        A("sync_class", "done", "06-16", "JB YS HT"),
        source=U_NAXI,
    ),
    M(
        "张茂玉",
        "2027-03-20 10:00",
        "近日,全南县烧斗教学点的6名学生通过“专递互动课堂”,与远在百里之外的社迳乡中心小学同上了一堂生动有趣的美术课。",
        A(
            "sync_class",
            "done",
            None,
            "全南县烧斗教学点 社迳乡中心小学",
            subject="美术",
            participants=6,
            lessons=1,
        ),
        source=U_QUANNAN,
    ),
    MA(
        "张茂玉",
        "2027-03-19 17:00",
        "今天齐小四年级的6名学生通过“专递互动课堂”,与福海二小同上了一堂生动有趣的美术课。",
        A("sync_class", "done", "03-19", "QG FH2", subject="美术", participants=6, lessons=1),
        source=U_QUANNAN,
    ),
    M(
        "邱克红",
        "2026-11-04 09:00",
        "11月3日下午,鹰潭市第九小学“专递课堂”的主讲教室里,老师正在给学生上音乐课,童家镇中心小学和老屋教学点的孩子们同上了一堂音乐课。",
        A(
            "sync_class",
            "done",
            "11-03",
            "鹰潭市第九小学 童家镇中心小学 老屋教学点",
            subject="音乐",
            lessons=1,
        ),
        source=U_YINGTAN,
    ),
    M(
        "邱克红",
        "2026-11-04 09:10",
        "目前三所学校通过专递课堂开设了音乐、美术、英语、绘本、语文、数学等课程,已经形成常态化的教学。",
        C(),
        source=U_YINGTAN,
    ),
    M(
        "苏雅琴",
        "2027-04-09 20:00",
        "雷波中学高二1班55名学生通过同步课堂,收看成都市第七中学语文老师付阳讲解课文《廉颇蔺相如列传》。",
        A(
            "sync_class",
            "done",
            None,
            "雷波中学 成都市第七中学",
            teachers="付阳",
            subject="语文",
            title="廉颇蔺相如列传",
            participants=55,
        ),
        source=U_LEIBO,
    ),
    # --- joint research --------------------------------------------------------------
    M(
        "林晓燕",
        "2026-10-31 09:00",
        "10月30日上午,乐清市大荆镇第一小学与四川理县下孟小学举行了线上教学联谊活动,安排了周卫荷等6名老师承担试课工作,试课结束后两校老师还进行评课和交流。",
        A(
            "joint_research",
            "done",
            "10-30",
            "乐清市大荆镇第一小学 四川理县下孟小学",
            teachers="周卫荷",
            mode="online",
        ),
        source=U_YUEQING,
    ),
    MA(
        "林晓燕",
        "2026-10-30 17:00",
        "今天上午,解乡小学与福海二小举行了线上教学研讨活动,两校老师通过微信平台进行评课和交流。",
        A("joint_research", "done", "10-30", "JX FH2", mode="online"),
        source=U_YUEQING,
    ),
    M(
        "郑建华",
        "2027-04-15 18:00",
        "余干县实验小学于上周开展了“研启新思路,联动共成长”主题城乡协同教研交流活动,瑞洪中心小学、黄埠中心小学40余位领导和骨干教师参与。",
        A(
            "joint_research",
            "done",
            None,
            "余干县实验小学 瑞洪中心小学 黄埠中心小学",
            participants=40,
        ),
        source=U_YUGAN,
    ),
    MA(
        "郑建华",
        "2027-04-15 18:10",
        "实小于本周三开展了“研启新思路,联动共成长”主题城乡协同教研交流活动,城关小学、新民小学40余位领导和骨干教师参与。",
        A("joint_research", "done", "04-14", "SX CG XM", participants=40),
        source=U_YUGAN,
    ),
    M(
        "郑建华",
        "2027-04-15 18:20",
        "数学教研,由五年级数学组承担,展示《因数与倍数》单元作业设计,联盟学校教师称赞作业设计有趣、实用。",
        A("joint_research", "done", None, "", subject="数学", title="因数与倍数"),
        source=U_YUGAN,
    ),
    M(
        "林晓燕",
        "2026-09-18 08:00",
        "9月17日下午,常州市北郊小学数学组围绕“创新作业设计,助力学生成长”主题,组织开展了数学作业设计研讨与交流活动。",
        A("joint_research", "done", "09-17", "常州市北郊小学", subject="数学"),
        source=U_BEIJIAO,
    ),
    MA(
        "黄丽萍",
        "2026-09-17 18:00",
        "今天下午,实小与城北小学数学组围绕“创新作业设计,助力学生成长”主题,组织开展了数学作业设计研讨与交流活动。",
        A("joint_research", "done", "09-17", "SX CB", subject="数学"),
        source=U_BEIJIAO,
    ),
    M(
        "苏雅琴",
        "2026-09-10 08:00",
        "9月9日下午,百丈小学数学组如期开展本学期的第二次教研活动,本次活动由教研组长褚君老师主持。",
        A("joint_research", "done", "09-09", "百丈小学", teachers="褚君", subject="数学"),
        source=U_BAIZHANG,
    ),
    MA(
        "苏雅琴",
        "2026-09-09 17:30",
        "今天下午,溪南中心校数学组如期开展本学期的第二次教研活动,实小陈志强老师参加并点评。",
        A("joint_research", "done", "09-09", "XN SX", teachers="陈志强", subject="数学"),
        source=U_BAIZHANG,
    ),
    M(
        "张凤琴",
        "2026-10-25 10:00",
        "2026年10月24日上午,通平小学数学教研组开展了以“小学数学作业设计与落地”为主题的数学教研活动,全校数学教师积极参与,杜成双老师作小专题分享。",
        A("joint_research", "done", "10-24", "通平小学", teachers="杜成双", subject="数学"),
        source=U_TONGPING,
    ),
    M(
        "马欣瑞",
        "2027-04-29 09:00",
        "4月28日,城北片区以“聚焦核心素养,深化课堂变革”为主题的联教活动成功举办,来自3所乡村学校的学科教师围绕初中语文《蒹葭》与化学复习课呈现了教研成果。",
        A("joint_research", "done", "04-28", "", title="蒹葭"),
        source="http://dazhou.scjyxw.com/news/20250429/1000010000415402.html",
    ),
    # --- demo lessons ----------------------------------------------------------------
    M(
        "许鲁湘",
        "2027-05-12 17:10",
        "紧接着共华镇中心校老师上学习汇报课,尔后大家进行了评课。",
        A("demo_lesson", "done", None, "共华镇中心校"),
        source=U_YUANJIANG,
    ),
    M(
        "陈志强",
        "2026-09-30 08:05",
        "本次质量分析会首先是观课环节,蜀龙学校、一中实验校分别提供语文、英语研究课。",
        A("meeting", "done", None, "蜀龙学校 一中实验校"),
        source=U_XINDU,
    ),
    # --- lectures, training, reading shares -----------------------------------------
    M(
        "黄丽萍",
        "2027-03-18 09:00",
        "3月17日下午,新化县槎溪镇中心学校在槎溪镇实验小学多媒体会议室举办第三届“书香润师心 阅读促成长”教师阅读分享会,来自全镇6所中小学校的17位老师依次登台分享。",
        A(
            "lecture_training",
            "done",
            "03-17",
            "新化县槎溪镇中心学校 槎溪镇实验小学",
            participants=17,
        ),
        source=U_CHAXI,
    ),
    MA(
        "黄丽萍",
        "2027-03-17 20:00",
        "今天下午,实小在多媒体会议室举办第三届“书香润师心 阅读促成长”教师阅读分享会,城关小学、城北小学的语文教师齐聚一堂,共享阅读感悟。",
        A("lecture_training", "done", "03-17", "SX CG CB", subject="语文"),
        source=U_CHAXI,
    ),
    M(
        "好吾兰",
        "2027-04-11 08:00",
        "4月10日晚,祁庄小学开展了“以微光聚星河,看见阅读的力量”的读书分享活动,由买欢欢老师主持。",
        A("lecture_training", "done", "04-10", "祁庄小学", teachers="买欢欢"),
        source=U_QIZHUANG,
    ),
    MA(
        "好吾兰",
        "2027-04-10 21:30",
        "今晚我校开展了“以微光聚星河,看见阅读的力量”的读书分享活动,由林晓燕老师主持。",
        A("lecture_training", "done", "04-10", "JX", teachers="林晓燕"),
        source=U_QIZHUANG,
    ),
    M(
        "孙慧霞",
        "2026-11-26 09:00",
        "2026年11月25日下午,徐州市柳新镇马楼小学开展教师读书分享活动,活动由高级教师李东伟老师主持,所有青年教师参加。",
        A("lecture_training", "done", "11-25", "徐州市柳新镇马楼小学", teachers="李东伟"),
        source=U_MALOU,
    ),
    M(
        "张茂玉",
        "2027-05-21 08:30",
        "2027年5月20日,棠张镇七圣小学开展教师读书分享会,全体教师共同参与本次活动,本次进行读书分享的是王彬老师。",
        A("lecture_training", "done", "05-20", "棠张镇七圣小学", teachers="王彬"),
        source=U_QISHENG,
    ),
    M(
        "刘文斌",
        "2026-10-18 09:00",
        "10月17日晚,二道中学开展了“全员悦读▪书香校园”第四期教师读书分享交流活动,祝愉斐、鲜炳、唐华梅、许亚军四位老师分别与全体教师分享了阅读心得。",
        A("lecture_training", "done", "10-17", "二道中学", teachers="祝愉斐 鲜炳 唐华梅 许亚军"),
        source=U_ERDAO,
    ),
    M(
        "卢志米",
        "2027-05-19 08:00",
        "2027年5月18日下午,太仓市科教新城南郊小学组织开展了读书分享活动,朱静燕、谷易成、田凯、余庭琪、张晶晶五位老师围绕所读书目《教育的对白》畅谈自己的读书感受。",
        A(
            "lecture_training",
            "done",
            "05-18",
            "太仓市科教新城南郊小学",
            teachers="朱静燕 谷易成 田凯 余庭琪 张晶晶",
            title="教育的对白",
            participants=5,
        ),
        source=U_NANJIAO,
    ),
    MA(
        "叶潇潇",
        "2027-05-18 20:00",
        "今天下午,淤上乡小学组织开展了读书分享活动,我和吴丽琼老师围绕所读书目《教育的对白》畅谈自己的读书感受。",
        A(
            "lecture_training",
            "done",
            "05-18",
            "YS JB",
            teachers="叶潇潇 吴丽琼",
            title="教育的对白",
        ),
        source=U_NANJIAO,
    ),
    M(
        "吴丽琼",
        "2027-04-26 08:00",
        "城东办中心校于2027年4月25日举办城东办教师阅读分享交流会,来自城东办辖区内各学校业务校长、教研主任、教师代表共计80余人参会。",
        A("lecture_training", "done", "04-25", "城东办中心校", participants=80),
        source=U_CHENGDONG,
    ),
    M(
        "张炜",
        "2027-04-22 09:00",
        "2027年4月21日,宜宾市南溪区黄沙镇中心小学校数学教研组开展了《如何做到小学数学课堂作业优化设计》的专题讲座,数学教师周安文主讲。",
        A(
            "lecture_training",
            "done",
            "04-21",
            "宜宾市南溪区黄沙镇中心小学校",
            teachers="周安文",
            subject="数学",
            title="如何做到小学数学课堂作业优化设计",
        ),
        source=U_HUANGSHA,
    ),
    MA(
        "张炜",
        "2027-04-21 18:00",
        "今天,二小数学教研组开展了《如何做到小学数学课堂作业优化设计》的专题讲座,我作为主讲,齐小的数学老师也来参加了。",
        A(
            "lecture_training",
            "done",
            "04-21",
            "FH2 QG",
            teachers="张炜",
            subject="数学",
            title="如何做到小学数学课堂作业优化设计",
        ),
        source=U_HUANGSHA,
    ),
    M(
        "吴学红",
        "2026-08-25 10:00",
        "8月24日,民盟青岛市委会主办的“农村教育烛光行动”教师暑期培训班正式结束了,来自五省七市的84位学员回到各自的学校。",
        A("lecture_training", "done", "08-24", "", participants=84),
        source=U_QINGDAO,
    ),
    M(
        "吴学红",
        "2026-08-25 10:10",
        "民盟青岛市委会已连续12年开展暑期培训活动,累计培训农村学生260余人、中小学校长和骨干教师350余人。",
        C(),
        source=U_QINGDAO,
    ),
    M(
        "郑建华",
        "2027-04-08 09:00",
        "省教育厅今日决定在全省范围内开展名师“送培下乡”活动,组织大批名师深入农村、山区和海岛中小学校开展教师培训工作。",
        C(),
        source=U_SONGPEI,
    ),
    M(
        "郑建华",
        "2027-04-08 09:05",
        "据悉,今年“送培下乡”活动于4月中旬启动,分批进行,年底前全部完成。",
        C(),
        source=U_SONGPEI,
    ),
    # --- meetings --------------------------------------------------------------------
    M(
        "陈志强",
        "2027-06-12 08:00",
        "6月11日,成都市龙泉七中联盟学校校长工作会在龙泉七中召开,会议由副校长陈小洪主持。",
        A("meeting", "done", "06-11", "龙泉七中", teachers="陈小洪"),
        source=U_LONGQUAN,
    ),
    MA(
        "郑建华",
        "2027-06-11 17:30",
        "今天,漳平市实验小学教育联盟校长工作会在实小召开,城关小学、城北小学、新民小学、桂林中心学校的校长分别介绍了学校概况和需求。",
        A("meeting", "done", "06-11", "SX CG CB XM GL"),
        source=U_LONGQUAN,
    ),
    M(
        "刘文斌",
        "2027-06-12 08:10",
        "最后,各校签订了联盟学校合作协议,五所学校的合作交流翻开了新的一页。",
        C(),
        source=U_LONGQUAN,
    ),
    M(
        "好吾兰",
        "2027-03-17 08:00",
        "2027年3月16日下午,“映山红乡村学校校长联盟”理事长会议于狮子岗乡查婆店学校召开,会议由联盟学校理事长胡时宝主持。",
        A("meeting", "done", "03-16", "狮子岗乡查婆店学校", teachers="胡时宝"),
        source=U_YINGSHANHONG,
    ),
    MA(
        "吴学红",
        "2027-03-16 18:00",
        "今天下午,福海县第二小学联盟理事长会议于解乡小学召开,参加此次会议的有福海二小、齐干吉迭乡小学、一农场小学和解乡小学。",
        A("meeting", "done", "03-16", "FH2 QG YNC JX"),
        source=U_YINGSHANHONG,
    ),
    M(
        "张凤琴",
        "2026-09-21 09:00",
        "9月20日,东北及环渤海地区教育联盟筹备会在济南天桥区举行,十几个联盟单位的主要负责人参加了会议。",
        A("meeting", "done", "09-20", ""),
        source=U_DONGBEI,
    ),
    M(
        "邱克红",
        "2026-10-22 09:00",
        "10月21日下午,兴义市木贾街道办中心校与仓更镇中心校教师结对帮扶启动仪式在仓更镇中学直录播教室举行,两中心校所属各校校长、教师代表50余人参加。",
        A(
            "meeting",
            "done",
            "10-21",
            "兴义市木贾街道办中心校 仓更镇中心校 仓更镇中学",
            participants=50,
        ),
        source=U_XINGYI,
    ),
    MA(
        "邱克红",
        "2026-10-21 18:00",
        "今天下午,江滨小学与黄田镇中心学校教师结对帮扶启动仪式在黄田镇中心学校举行,两校校长、教师代表50余人参加。",
        A("meeting", "done", "10-21", "JB HT", participants=50),
        source=U_XINGYI,
    ),
    M(
        "苏雅琴",
        "2027-04-26 08:00",
        "4月25日下午四点,塘田市镇中心学校举行了期中考试质量分析会,中心学校成员、各中小学校长、教导参加会议。",
        A("meeting", "done", "04-25", "塘田市镇中心学校"),
        source=U_TANGTIAN,
    ),
    MA(
        "苏雅琴",
        "2027-04-25 18:00",
        "今天下午四点,溪南中心学校举行了期中考试质量分析会,会上苏雅琴老师对各学科做了比较分析。",
        A("meeting", "done", "04-25", "XN", teachers="苏雅琴"),
        source=U_TANGTIAN,
    ),
    M(
        "陈志强",
        "2026-09-30 08:00",
        "2026年9月29日上午,新都区2026年秋中学教育质量分析会在蜀龙学校召开。",
        A("meeting", "done", "09-29", "蜀龙学校"),
        source=U_XINDU,
    ),
    M(
        "张茂玉",
        "2026-09-05 09:00",
        "开学伊始,大成实验学校召开了小学教学质量分析会,教研组长、备课组长及小学教学主任对上学期期末检测进行了详尽的分析。",
        A("meeting", "done", None, "大成实验学校"),
        source=U_DACHENG,
    ),
    MA(
        "张茂玉",
        "2026-09-04 18:00",
        "开学伊始,齐小召开了教学质量分析会,教研组长对上学期期末检测进行了详尽的分析,最后张茂玉校长作了总结发言。",
        A("meeting", "done", None, "QG", teachers="张茂玉"),
        source=U_DACHENG,
    ),
    M(
        "吴学红",
        "2027-01-27 09:00",
        "1月26日,区教育局在区一中组织召开全区中小学期末调研测试成绩分析会,各中小学校长、分管教学副校长、教导主任等参加会议。",
        A("meeting", "done", "01-26", "区一中"),
        source=U_QUYI,
    ),
    M(
        "许鲁湘",
        "2026-10-17 09:00",
        "10月15日,县教科局在西华池小学召开了2026年秋季学期小学教学质量分析会,共计220多人参加了会议。",
        A("meeting", "done", "10-15", "西华池小学", participants=220),
        source=U_HESHUI,
    ),
    M(
        "黄丽萍",
        "2027-06-30 09:00",
        "6月29日下午,东青实验学校在会议室举行轮岗交流教师座谈会,学校部分行政人员与交流教师一起参加了座谈,座谈会由商骏涛副校长主持。",
        A("meeting", "done", "06-29", "东青实验学校", teachers="商骏涛"),
        source=U_DONGQING,
    ),
    M(
        "黄丽萍",
        "2027-06-30 09:05",
        "来东实交流的六位教师向大家汇报了一年来的收获和感想。",
        C(),
        source=U_DONGQING,
    ),
    MA(
        "陈志强",
        "2027-06-29 18:00",
        "今天下午,新民小学在会议室举行轮岗交流教师座谈会,学校部分行政人员与交流教师一起参加了座谈,我向大家汇报了一年来的收获和感想。",
        A("meeting", "done", "06-29", "XM SX", teachers="陈志强"),
        source=U_DONGQING,
    ),
    M(
        "林晓燕",
        "2027-06-27 09:00",
        "近日,那坡县10位骨干教师跟岗学习座谈会在横岗中心学校举行,老师们就两地教育优势、跟岗学习的建议和意见等畅所欲言。",
        A("meeting", "done", None, "横岗中心学校", participants=10),
        source=U_NAPO,
    ),
    M(
        "林晓燕",
        "2027-06-27 09:10",
        "2017年10月至今,龙岗区教育局共接收10批来自广西靖西市、那坡县的骨干教师到龙岗跟岗学习和举办研修班,累计培训700余人次。",
        C(),
        source=U_NAPO,
    ),
    # --- student activities ----------------------------------------------------------
    M(
        "叶潇潇",
        "2027-05-30 20:00",
        "5月29日,小溪市乡文昌小学与长沙市雨花区长塘里小学的孩子在六一儿童节来临前结成对子,开展联谊帮扶,正式开启“相亲相爱一家人”手拉手活动序幕。",
        A("student_activity", "done", "05-29", "小溪市乡文昌小学 长沙市雨花区长塘里小学"),
        source=U_XIAOXI,
    ),
    M(
        "叶潇潇",
        "2027-05-30 20:05",
        "活动启动后,两学校将以“手拉手”结对子为载体,广泛开展交一个好朋友、写一封交友信、送一份精美礼品等“六个一”活动。",
        C(),
        source=U_XIAOXI,
    ),
    MA(
        "卢志米",
        "2027-05-29 19:00",
        "今天,江滨小学与淤上乡小学的孩子在六一儿童节来临前结成对子,开启“相亲相爱一家人”手拉手活动序幕。",
        A("student_activity", "done", "05-29", "JB YS"),
        source=U_XIAOXI,
    ),
    M(
        "许鲁湘",
        "2026-11-24 08:00",
        "11月23日,受降路小学四年级五十名同学乘坐大巴,来到大刘镇抬头小学,和这里四年级学生举行了一次很有意义的手拉手活动。",
        A("student_activity", "done", "11-23", "受降路小学 大刘镇抬头小学", participants=50),
        source=U_SHOUXIANG,
    ),
    MA(
        "许鲁湘",
        "2026-11-23 18:00",
        "今天,福海二小四年级五十名同学乘坐大巴来到一农场小学,和这里四年级学生举行了一次很有意义的手拉手活动。",
        A("student_activity", "done", "11-23", "FH2 YNC", participants=50),
        source=U_SHOUXIANG,
    ),
    M(
        "马欣瑞",
        "2027-06-19 09:00",
        "6月18日,市实验小学师生、家长代表一行20余人来到曹武镇源泉村,与留守儿童驿站的学生举行“手拉手”结对活动。",
        A("student_activity", "done", "06-18", "市实验小学", participants=20),
        source=U_JINGSHAN,
    ),
    M(
        "卢志米",
        "2027-05-26 18:00",
        "5月25日,南宁市滨湖路小学扬梦2班的学生在班主任和老师的组织下,来到上林县三里镇东吴村小学,与边远山区学校的小学生们进行“手拉手”活动。",
        A("student_activity", "done", "05-25", "南宁市滨湖路小学 上林县三里镇东吴村小学"),
        source=U_BINHU,
    ),
    M(
        "卢志米",
        "2027-05-26 18:05",
        "南宁市滨湖路小学老师和学生家长给上林县三里镇东吴村小学捐赠物资,并给每一个学生发放了书包。",
        A("resource_support", "done", None, "南宁市滨湖路小学 上林县三里镇东吴村小学"),
        source=U_BINHU,
    ),
    M(
        "孙慧霞",
        "2026-10-26 09:00",
        "24日上午,邹城市看庄镇柳下邑小学的孩子们迎来了一批特殊的客人,他们是来自邹城市第一实验小学的20名少先队员,两校开展“携手心灵伙伴、共同快乐成长”结对子体验活动。",
        A(
            "student_activity",
            "done",
            "10-24",
            "邹城市看庄镇柳下邑小学 邹城市第一实验小学",
            participants=20,
        ),
        source=U_ZOUCHENG,
    ),
    M(
        "孙慧霞",
        "2026-10-26 09:05",
        "“下一步,我们将邀请乡村的小伙伴利用假期到城里做客,增进他们彼此感情。”邹城市第一实验小学大队辅导员王妍说。",
        C(),
        source=U_ZOUCHENG,
    ),
    M(
        "张凤琴",
        "2027-03-25 12:00",
        "活动中,两校的学生互赠礼物,互换联系卡,结成手拉手小伙伴,新愚公希望小学的孩子们为远道而来的第一实验小学朋友送上了自编自演的快板。",
        A("student_activity", "done", None, "新愚公希望小学 第一实验小学"),
        source=U_HANDAN,
    ),
    M(
        "郑建华",
        "2027-06-21 09:00",
        "6月20日,通化县实验小学组织四、五年级学生开展了“创建文明城市,了解县情县貌”研学旅行活动,目的地是通化县博物馆。",
        A("student_activity", "done", "06-20", "通化县实验小学"),
        source=U_TONGHUA,
    ),
    MA(
        "郑建华",
        "2027-06-20 17:00",
        "今天,实验小学组织四、五年级学生开展了研学旅行活动,和新桥中心学校的同学一起参观了县博物馆。",
        A("student_activity", "done", "06-20", "SX XQ"),
        source=U_TONGHUA,
    ),
    M(
        "刘文斌",
        "2027-03-17 12:00",
        "连日来,江西省吉安市吉州区樟山中心小学组织学生分批来到辖区油菜花田开展研学旅行,在花海中用画笔绘出家乡美景。",
        A("student_activity", "done", None, "江西省吉安市吉州区樟山中心小学"),
        source=U_ZHANGSHAN,
    ),
    # --- competitions ----------------------------------------------------------------
    M(
        "张炜",
        "2026-11-07 09:00",
        "11月6日,庄河市青年教师“行知杯”教学基本功大赛小学组比赛圆满结束,决赛上28个基层单位66名选手参加了包括粉笔板书、课文朗诵、即兴演讲在内的三项比赛。",
        A("competition", "done", "11-06", "", participants=66),
        source=U_ZHUANGHE,
    ),
    MA(
        "吴学红",
        "2026-11-06 18:00",
        "今天,福海二小联盟青年教师教学基本功大赛圆满结束,齐小、解小、一农场小学共12名选手参加了粉笔板书、课文朗诵、即兴演讲三项比赛。",
        A("competition", "done", "11-06", "FH2 QG JX YNC", participants=12),
        source=U_ZHUANGHE,
    ),
    M(
        "马欣瑞",
        "2026-10-29 09:00",
        "10月28日,湖北省第九届中小学青年教师教学竞赛闭幕式在湖北第二师范学院举行,来自全省各地市州103所中小学的111名青年教师同台竞技。",
        A("competition", "done", "10-28", "湖北第二师范学院", participants=111),
        source="http://news.cnhubei.com/content/2024-10/28/content_18568830.html",
    ),
    M(
        "马欣瑞",
        "2026-11-11 09:00",
        "经过激烈角逐,最终评选出一等奖20名、二等奖40名、三等奖51名,赛事同步线上直播,观看量突破13万人次。",
        C(),
        source=U_HUBEI,
    ),
    M(
        "叶潇潇",
        "2027-06-27 09:00",
        "6月26日,第三届全国中小学青年教师教学竞赛甘肃赛区选拔赛在兰州大学落下帷幕,15位教师从107位参赛选手中脱颖而出,斩获一等奖。",
        A("competition", "done", "06-26", "兰州大学", participants=107),
        source=U_GANSU,
    ),
    MA(
        "叶潇潇",
        "2027-06-26 18:00",
        "今天,江滨小学教共体青年教师教学竞赛在江滨小学落下帷幕,我和淤上乡小学吴丽琼老师斩获一等奖。",
        A("competition", "done", "06-26", "JB YS", teachers="叶潇潇 吴丽琼"),
        source=U_GANSU,
    ),
    # --- inspections -----------------------------------------------------------------
    M(
        "苏雅琴",
        "2027-05-28 08:00",
        "5月27日,市教研员张晓斌入校指导,针对近年全国二卷高考试卷特点及新高考动向等进行了详尽介绍及耐心指导。",
        A("inspection", "done", "05-27", "", teachers="张晓斌"),
        source=U_BISHAN,
    ),
    MA(
        "郑建华",
        "2027-05-27 17:00",
        "今天,实小郑建华校长到溪南中心校入校指导,针对近期语文试卷特点进行了详尽介绍及耐心指导。",
        A("inspection", "done", "05-27", "SX XN", teachers="郑建华", subject="语文"),
        source=U_BISHAN,
    ),
    M(
        "邱克红",
        "2026-11-21 09:00",
        "3个视导组的60多位专家采用“听、查、看、访、导”等形式,分别完成对海口华兴学校、海口景山学校等15所义务教育阶段学校的教学常规管理专项视导。",
        A("inspection", "done", None, "海口华兴学校 海口景山学校", participants=60),
        source=U_HAIKOU,
    ),
    M(
        "刘文斌",
        "2027-07-15 09:00",
        "近期,杭埠镇中心学校进行了本学期的教育教学检查工作,本次常规检查检查了所有学科教师备课、作业批改等情况。",
        A("inspection", "done", None, "杭埠镇中心学校"),
        source=U_HANGBU,
    ),
    M(
        "许鲁湘",
        "2027-03-10 08:00",
        "3月9日,舒茶镇中心学校组织相关人员一行五人,对辖区各校开展为期一天的开学工作检查。",
        A("inspection", "done", "03-09", "舒茶镇中心学校", participants=5),
        source=U_SHUCHA,
    ),
    MA(
        "吴学红",
        "2027-03-09 17:00",
        "今天,福海二小组织相关人员一行五人,对齐小、解小、一农场小学开展为期一天的开学工作检查。",
        A("inspection", "done", "03-09", "FH2 QG JX YNC", participants=5),
        source=U_SHUCHA,
    ),
    M(
        "好吾兰",
        "2027-03-02 08:00",
        "3月1日下午,庐镇乡姚嘴小学开展学期初教学常规自查工作,校长亲自查看教师的计划、备课、教学进度、作业批改等情况。",
        A("inspection", "done", "03-01", "庐镇乡姚嘴小学"),
        source=U_YAOZUI,
    ),
    MA(
        "好吾兰",
        "2027-03-01 18:00",
        "今天下午,解乡小学开展学期初教学常规自查工作,好吾兰校长亲自查看教师的计划、备课、作业批改等情况。",
        A("inspection", "done", "03-01", "JX", teachers="好吾兰"),
        source=U_YAOZUI,
    ),
    M(
        "张茂玉",
        "2026-11-06 09:00",
        "11月5日上午,汉滨区五里镇中心校检查组对党家营小学教学常规管理工作进行了专项督导检查。",
        A("inspection", "done", "11-05", "汉滨区五里镇中心校 党家营小学"),
        source=U_WULI,
    ),
    MA(
        "张茂玉",
        "2026-11-05 12:00",
        "今天上午,福海二小检查组对齐干吉迭乡小学教学常规管理工作进行了专项督导检查,张茂玉校长汇报了学校教学常规管理工作。",
        A("inspection", "done", "11-05", "FH2 QG", teachers="张茂玉"),
        source=U_WULI,
    ),
    M(
        "陈志强",
        "2027-05-28 09:00",
        "5月27日,汤池中学进行了期中教学检查,检查组对所有授课教师的备课笔记、教学计划、作业和质量检测试卷等进行了认真细致的检查。",
        A("inspection", "done", "05-27", "汤池中学"),
        source=U_TANGCHI,
    ),
    M(
        "陈志强",
        "2027-05-28 09:05",
        "据悉,该校每学期组织期中和期末两次教学检查,此项工作已成常态化。",
        C(),
        source=U_TANGCHI,
    ),
    # --- resource support ------------------------------------------------------------
    M(
        "卢志米",
        "2026-11-27 09:00",
        "11月26日上午,常州市解放路小学走进玛沁县大武乡寄校开展结对帮扶活动,为该校捐赠了总价值五千元的体育用品与器材,包括篮球、足球、体操垫等。",
        A("resource_support", "done", "11-26", "常州市解放路小学 玛沁县大武乡寄校"),
        source=U_CHANGZHOU,
    ),
    MA(
        "卢志米",
        "2026-11-26 17:00",
        "今天上午,江滨小学走进淤上乡小学开展结对帮扶活动,为淤上乡小学捐赠了体育用品与器材,包括篮球、足球、体操垫等。",
        A("resource_support", "done", "11-26", "JB YS"),
        source=U_CHANGZHOU,
    ),
    MA(
        "吴丽琼",
        "2026-11-26 20:00",
        "淤上乡小学今天收到江滨小学捐赠的体育器材,这些体育器材将极大地扩充我校多种体育活动需求。",
        A("resource_support", "done", "11-26", "YS JB"),
        source=U_CHANGZHOU,
    ),
    M(
        "孙慧霞",
        "2027-06-07 09:00",
        "6月6日,贵阳市爱心公益团队发起的“我为山区孩子送本书”大型公益活动来到金沙县岩孔街道菁河小学,捐献图书共12000余册、体育用品126件。",
        A("resource_support", "done", "06-06", "金沙县岩孔街道菁河小学"),
        source=U_JINSHA,
    ),
    M(
        "林晓燕",
        "2026-11-17 12:00",
        "为帮助解决新疆霍城县第二小学学校图书量不足的问题,近日,长寿实验小学开展了图书捐赠活动。",
        A("resource_support", "done", None, "新疆霍城县第二小学 长寿实验小学"),
        source=U_CHANGSHOU,
    ),
    MA(
        "林晓燕",
        "2026-11-17 12:10",
        "为帮助解决解乡小学图书量不足的问题,本周福海二小开展了图书捐赠活动,同学们纷纷将自己精心挑选的各类书籍整理出来。",
        A("resource_support", "done", None, "JX FH2"),
        source=U_CHANGSHOU,
    ),
    M(
        "好吾兰",
        "2026-11-18 09:00",
        "11月17日,力角镇亚丽家居捐赠仪式在力角完小举行,为学校送来一套篮球架及其他器材,总价值约10000元。",
        A("resource_support", "done", "11-17", "力角完小"),
        source=U_LIJIAO,
    ),
    M(
        "张茂玉",
        "2026-09-21 09:00",
        "9月20日,福建省小学语文兰臻名师工作室携手漳州某爱心企业到赤岭民族中心学校开展“城乡携手 教学相长”教学共建和爱心助学活动,爱心企业为学生赠送了爱心书包。",
        A("resource_support", "done", "09-20", "赤岭民族中心学校"),
        source=U_CHILING,
    ),
    M(
        "张茂玉",
        "2026-09-21 09:10",
        "据悉,名师工作室将在下一阶段与赤岭民族中心学校开展“手拉手”联谊活动,活动内容主要包括送培送教、跟岗学习、结对帮扶、教研互动、资源共享等。",
        C(),
        source=U_CHILING,
    ),
    # --- open days -------------------------------------------------------------------
    MA(
        "邱克红",
        "2026-10-20 12:00",
        "为了加强学校、教师、家长之间的沟通与交流,黄田镇中心学校于今天上午举办第四十一届家长开放日活动,三百多位家长前来听课。",
        A("open_day", "done", "10-20", "HT", participants=300),
        source=U_HKYZ,
    ),
    M(
        "张凤琴",
        "2026-11-22 09:00",
        "11月21日,金乡县实验小学成功举办了“家校携手,和谐共育”暨家长开放日活动,学校开设的所有课程都向家长开放。",
        A("open_day", "done", "11-21", "金乡县实验小学"),
        source=U_JINXIANG,
    ),
    MA(
        "张凤琴",
        "2026-11-20 17:30",
        "今天,福海二小成功举办了“家校携手,和谐共育”暨家长开放日活动,学校开设的所有课程都向家长开放,齐小、解小的老师也来观摩。",
        A("open_day", "done", "11-20", "FH2 QG JX"),
        source=U_JINXIANG,
    ),
    M(
        "吴丽琼",
        "2027-05-14 08:00",
        "为了更好地实施开放式教育,加强家校联系,我校于5月13日上午举办了家长开放日活动,开放课堂让家长随堂听课。",
        A("open_day", "done", "05-13", "YS"),
        source=U_JNXC,
    ),
    MA(
        "吴丽琼",
        "2027-05-10 08:00",
        "为了加强家校联系,我校将于5月13日上午举办家长开放日活动,开放课堂让家长随堂听课,欢迎江滨小学的老师一起来。",
        A("open_day", "planned", "05-13", "YS JB"),
        source=U_JNXC,
    ),
    # --- exchanges -------------------------------------------------------------------
    M(
        "吴学红",
        "2027-07-27 20:00",
        "2027年7月6日,湖北师范大学文学院文化速递实践队前往黄石市阳新县排市镇山田小学开展暑期“三下乡”支教活动,至7月26日,为期二十天的支教之旅进入尾声。",
        X(
            "support_teaching",
            "done",
            "07-06",
            "07-26",
            "湖北师范大学 黄石市阳新县排市镇山田小学",
            "湖北师范大学",
            "黄石市阳新县排市镇山田小学",
        ),
        source=U_SHANTIAN,
    ),
    M(
        "许鲁湘",
        "2027-07-24 09:05",
        "7月23日,支教队在河南省商丘市睢阳区腰赵楼小学的支教活动正式启动,为期14天。",
        X(
            "support_teaching",
            "done",
            "07-23",
            "08-05",
            "河南省商丘市睢阳区腰赵楼小学",
            None,
            "河南省商丘市睢阳区腰赵楼小学",
        ),
        source=U_YAOZHAOLOU,
    ),
    M(
        "陈志强",
        "2026-09-11 09:00",
        "9月10日上午,忻州师范学院原平支教队队长杨树荣带领297名顶岗支教大学生安全抵达原平市,开始新学期的教师生涯。",
        X(
            "support_teaching",
            "done",
            "09-10",
            None,
            "忻州师范学院",
            "忻州师范学院",
            None,
            "杨树荣",
            participants=297,
        ),
        source=U_XINZHOU,
    ),
    M(
        "张茂玉",
        "2027-03-13 09:00",
        "3月12日,新疆生产建设兵团第二师三十六团中学迎来了第一批3名河北援疆教师,他们主要来自河北临西学校,学校举行了简短的欢迎仪式。",
        X(
            "support_teaching",
            "done",
            "03-12",
            None,
            "新疆生产建设兵团第二师三十六团中学 河北临西学校",
            "河北临西学校",
            "新疆生产建设兵团第二师三十六团中学",
            participants=3,
        ),
        source=U_YUANJIANG36,
    ),
    MA(
        "张茂玉",
        "2027-03-12 17:00",
        "今天,齐干吉迭乡小学迎来了3名福海二小支教教师,学校举行了简短的欢迎仪式,他们将在齐小支教一学期。",
        X("support_teaching", "done", "03-12", "07-15", "QG FH2", "FH2", "QG", participants=3),
        source=U_YUANJIANG36,
    ),
    M(
        "好吾兰",
        "2027-04-17 08:00",
        "4月16日上午,省教育厅选派的30名湖南省贫困地区小学校长来到株洲,正式开始为期11天的挂职学习。",
        X("secondment", "done", "04-16", "04-26", participants=30),
        source=U_ZHUZHOU,
    ),
    MA(
        "好吾兰",
        "2027-04-16 17:00",
        "今天上午,解乡小学好吾兰校长来到福海二小,正式开始为期11天的挂职学习,将担任挂职学校的副校长,全面参与学校管理工作。",
        X("secondment", "done", "04-16", "04-26", "JX FH2", "JX", "FH2", "好吾兰"),
        source=U_ZHUZHOU,
    ),
    M(
        "林晓燕",
        "2026-10-17 09:00",
        "10月16日,广东省阳江市中小学卓越教师培养工程29名教师到成都市金牛中学开展为期五天的跟岗交流学习。",
        X(
            "shadowing",
            "done",
            "10-16",
            "10-20",
            "成都市金牛中学",
            None,
            "成都市金牛中学",
            participants=29,
        ),
        source=U_JINNIU,
    ),
    MA(
        "林晓燕",
        "2026-10-16 18:00",
        "今天,解乡小学3名青年教师到福海二小开展为期五天的跟岗交流学习,二小安排了跟岗结对名单。",
        X("shadowing", "done", "10-16", "10-20", "JX FH2", "JX", "FH2", participants=3),
        source=U_JINNIU,
    ),
    M(
        "郑建华",
        "2026-09-01 10:00",
        "2012年4月12日,紫岩小学与四所乡村校——齐天学校、九龙学校、绵远学校、清平学校,抱团成立“绵竹市1+4城乡教育联盟”,后陆续有五所乡村校加入,成为十校联盟。",
        C(),
        source=U_MIANZHU,
    ),
    M(
        "郑建华",
        "2026-09-01 10:05",
        "彼时紫岩小学正在组建“云平台”教学班,要与农村校同步上课。",
        C(),
        source=U_MIANZHU,
    ),
    # --- batch 3 ----------------------------------------------------------------------
    M(
        "苏雅琴",
        "2026-12-03 08:00",
        "12月2日,岳阳市经开区东城小学郭丽冬校长率领学校行政、教学骨干十八人,来到岳阳县筻口镇中心小学开展“结对帮扶、携手共进”活动,送教到农村薄弱学校,首先是李林波老师带给孩子们一堂国学课。",
        A(
            "lesson_delivery",
            "done",
            "12-02",
            "岳阳市经开区东城小学 岳阳县筻口镇中心小学",
            "岳阳市经开区东城小学",
            "岳阳县筻口镇中心小学",
            "郭丽冬 李林波",
            participants=18,
            lessons=1,
        ),
        source="http://qfxww.com.cn/news/zhifadongtai/53131.html",
    ),
    MA(
        "郑建华",
        "2026-12-02 18:00",
        "今天,实小郑建华校长率领学校行政、教学骨干十八人,来到桂林中心学校开展“结对帮扶、携手共进”活动,送教到农村薄弱学校,黄丽萍老师带给孩子们一堂语文课。",
        A(
            "lesson_delivery",
            "done",
            "12-02",
            "SX GL",
            "SX",
            "GL",
            "郑建华 黄丽萍",
            "语文",
            participants=18,
            lessons=1,
        ),
        source="http://qfxww.com.cn/news/zhifadongtai/53131.html",
    ),
    M(
        "张凤琴",
        "2026-11-16 09:00",
        "11月15日,胶州市常州路小学与募役镇中心学校开展“情系贵州·爱撒募役”手拉手结对捐助活动,陈凯功校长一行为贫困少先队员带来了冬被、书本、书包及足球等生活和学习用品。",
        A(
            "resource_support",
            "done",
            "11-15",
            "胶州市常州路小学 募役镇中心学校",
            teachers="陈凯功",
        ),
        source="https://meipian.cn/2ir2c467",
    ),
    MA(
        "许鲁湘",
        "2026-11-15 17:00",
        "今天,福海二小与一农场小学开展手拉手结对捐助活动,吴学红校长一行为一农场的孩子们带来了冬被、书本、书包及足球等用品。",
        A("resource_support", "done", "11-15", "FH2 YNC", teachers="吴学红"),
        source="https://meipian.cn/2ir2c467",
    ),
    # --- batch 4 ----------------------------------------------------------------------
    M(
        "苏雅琴",
        "2026-10-15 09:00",
        "10月14日,教师教育系教师晏福宝博士组织小学教育专业“润之英才”班全体同学赴湘江新区麓谷第二小学,全程参与了一场融合语文与数学学科的“同课异构”教学研讨活动。",
        A("joint_research", "done", "10-14", "湘江新区麓谷第二小学", teachers="晏福宝"),
        source="http://cdjyxy.hnfnu.edu.cn/info/1089/8472.htm",
    ),
    M(
        "苏雅琴",
        "2026-10-14 18:00",
        "上午的语文专场以三年级课文《小狗学叫》为课例开展“同课异构”研讨,孙贤松老师和贺玖玲老师分别执教。",
        A(
            "joint_research",
            "done",
            "10-14",
            "",
            teachers="孙贤松 贺玖玲",
            subject="语文",
            title="小狗学叫",
        ),
        source="http://cdjyxy.hnfnu.edu.cn/info/1089/8472.htm",
    ),
    M(
        "苏雅琴",
        "2026-10-14 18:05",
        "下午的数学专场聚焦校际交流,麓谷二小谭霞老师与江华芙蓉学校唐华媛老师围绕“三位数乘两位数”展开异构教学。",
        A(
            "joint_research",
            "done",
            "10-14",
            "麓谷二小 江华芙蓉学校",
            teachers="谭霞 唐华媛",
            subject="数学",
        ),
        source="http://cdjyxy.hnfnu.edu.cn/info/1089/8472.htm",
    ),
    MA(
        "黄丽萍",
        "2026-10-14 18:10",
        "下午的数学专场聚焦校际交流,实小陈志强老师与城北小学刘老师围绕“三位数乘两位数”展开异构教学。",
        A("joint_research", "done", "10-14", "SX CB", teachers="陈志强", subject="数学"),
        source="http://cdjyxy.hnfnu.edu.cn/info/1089/8472.htm",
    ),
    M(
        "郑建华",
        "2026-11-23 09:00",
        "本次“同课异构”的课题是部编版四年级上册第25课《王戎不取道旁李》,由宿豫区第二集群的六位老师共同执教。",
        A("joint_research", "done", None, "", title="王戎不取道旁李", participants=6),
        source="https://meipian.cn/3wnjobw9",
    ),
    MA(
        "郑建华",
        "2026-11-22 17:00",
        "今天实小联盟开展“同课异构”活动,课题是四年级上册《王戎不取道旁李》,由实小、城关小学、新民小学的六位老师共同执教。",
        A("joint_research", "done", "11-22", "SX CG XM", title="王戎不取道旁李", participants=6),
        source="https://meipian.cn/3wnjobw9",
    ),
    M(
        "张凤琴",
        "2026-09-04 09:00",
        "9月1日,衡阳县选派的14名教师从县教育局整装出发,奔赴怀化市麻阳苗族自治县开展为期1学年的支教。",
        X("support_teaching", "done", "09-01", "2027-07-31", participants=14),
        source="https://hy.rednet.cn/m/content/646743/96/13016157.html",
    ),
    M(
        "张凤琴",
        "2026-09-04 09:05",
        "来自本县13所学校的14名教师,其中大安乡伍鹏老师与界牌镇的郑杰老师是一对青年夫妇。",
        C(),
        source="https://hy.rednet.cn/m/content/646743/96/13016157.html",
    ),
    MA(
        "吴学红",
        "2026-09-01 10:00",
        "今天,二小选派的3名教师整装出发,奔赴齐小、解小、一农场小学开展为期1学年的支教。",
        X(
            "support_teaching",
            "done",
            "09-01",
            "2027-07-31",
            "FH2 QG JX YNC",
            "FH2",
            None,
            participants=3,
        ),
        source="https://hy.rednet.cn/m/content/646743/96/13016157.html",
    ),
    M(
        "孙慧霞",
        "2026-08-27 09:00",
        "8月26日下午,莆田第十一中学在校第一会议室为许元然老师举行简单而又温馨的援疆支教欢送会。",
        A("meeting", "done", "08-26", "莆田第十一中学", teachers="许元然"),
        source="http://ptwbs.net/news-978939.html",
    ),
    MA(
        "张凤琴",
        "2026-08-31 17:00",
        "今天下午,二小在第一会议室为孙慧霞老师举行简单而又温馨的支教欢送会,明天起她到齐小支教一学年。",
        Multi(
            A("meeting", "done", "08-31", "FH2", teachers="孙慧霞"),
            X(
                "support_teaching",
                "planned",
                "09-01",
                "2027-07-31",
                "FH2 QG",
                "FH2",
                "QG",
                "孙慧霞",
            ),
        ),
        source="http://ptwbs.net/news-978939.html",
    ),
    M(
        "许鲁湘",
        "2027-04-18 09:00",
        "4月17日,县教育局教研室教学视导组一行五人在张母桥镇中心校小学进行了为期一天的教学视导工作。",
        A("inspection", "done", "04-17", "张母桥镇中心校小学", participants=5),
        source="http://old.scjyxx.net/DocHtml/1/Article_20145263560.html",
    ),
    MA(
        "邱克红",
        "2027-04-17 18:00",
        "今天,江滨小学教学视导组一行五人在黄田镇中心学校进行了为期一天的教学视导工作,随堂听取了语文、数学等课程。",
        A("inspection", "done", "04-17", "JB HT", participants=5),
        source="http://old.scjyxx.net/DocHtml/1/Article_20145263560.html",
    ),
    M(
        "刘文斌",
        "2027-06-24 08:00",
        "2027年6月23日上午,大荔县教研室教学常规督查组一行六人,在小教组教研员马慧琴带领下,对荔东小学教学常规工作进行督查指导。",
        A("inspection", "done", "06-23", "荔东小学", teachers="马慧琴", participants=6),
        source="https://meipian.cn/30hq8wp1",
    ),
    M(
        "好吾兰",
        "2027-05-15 08:00",
        "5月14日,责任督学黄楚仁、李全明、谢勋岳在组长薛良礼的带领下,到三完小开展随访督导工作,随机走进四个教室,听了四节课。",
        A(
            "inspection",
            "done",
            "05-14",
            "三完小",
            teachers="黄楚仁 李全明 谢勋岳 薛良礼",
            lessons=4,
        ),
        source="https://siliu.net/p/9d4ywvovdp.html",
    ),
    MA(
        "好吾兰",
        "2027-05-14 17:00",
        "今天,福海二小吴学红、张凤琴两位校长到解小开展随访督导工作,随机走进四个教室,听了四节课。",
        A(
            "inspection",
            "done",
            "05-14",
            "FH2 JX",
            teachers="吴学红 张凤琴",
            participants=2,
            lessons=4,
        ),
        source="https://siliu.net/p/9d4ywvovdp.html",
    ),
    M(
        "张茂玉",
        "2026-12-19 09:00",
        "泗阳县教育局于12月7日至12月18日对全县义务教育阶段学校进行了教育教学视导。",
        A("inspection", "done", "12-07"),
        source="http://szftgk.com/XiaoXueZiXun/484560.html",
    ),
    M(
        "叶潇潇",
        "2027-05-25 09:00",
        "五月中旬,黎平县教育和科技局与教育工会组织全县优秀校长、教研员、骨干教师共四组31人深入全县18个乡镇中小学开展“送教下乡”活动。",
        A("lesson_delivery", "done", None, "", participants=31),
        source="http://www.zhxpm.cn/news/lp/201105/58439.shtml",
    ),
    M(
        "叶潇潇",
        "2027-05-25 09:05",
        "此次活动共开展示范课39节、中考专题讲座20场次、说课评课活动21场次,听课教师640余人。",
        C(),
        source="http://www.zhxpm.cn/news/lp/201105/58439.shtml",
    ),
    M(
        "马欣瑞",
        "2027-02-10 09:00",
        "近日,平城区教育系统“同心·同行”迎新春文艺展演在博盛中学举行,该区多所学校师生共同奉献精彩纷呈的视听盛宴。",
        A("student_activity", "done", None, "博盛中学"),
        source="http://m.dtrcw.net/news/newsdetail-21312.html",
    ),
    M(
        "马欣瑞",
        "2027-01-19 09:00",
        "北京市大兴区首届京津冀校园春晚18日举行,来自北京市大兴区、天津市北辰区、河北省廊坊市的学生们同台演出。",
        A("student_activity", "done", "01-18"),
        source="http://edu.people.com.cn/n1/2024/0119/c1006-40162590.html",
    ),
    M(
        "陈志强",
        "2026-10-21 09:00",
        "10月20日,由厦门集美总工会、厦门集美教育工会主办的“星耀厦门集美 唱响未来”汇演活动在厦门集美实验小学举行,全区1200多名师生齐聚一堂。",
        A("student_activity", "done", "10-20", "厦门集美实验小学", participants=1200),
        source="http://dongfengkuaidi.vip/news/show-83837.html",
    ),
    MA(
        "郑建华",
        "2026-12-31 17:00",
        "今天下午,漳平市实验小学教育联盟庆祝元旦文艺汇演在实小礼堂举行,城关、城北、新民等成员校共表演了19个节目。",
        A("student_activity", "done", "12-31", "SX CG CB XM"),
        source="http://cgart.com.cn/a/pinpai/2019/1231/1231402019.html",
    ),
    M(
        "吴丽琼",
        "2027-06-07 08:00",
        "6月6日,南坝镇天台中心校赴五宝镇中心校参加第十八届校园文化艺术节,学生表演了舞蹈《孩子的天空》。",
        A("student_activity", "done", "06-06", "南坝镇天台中心校 五宝镇中心校", title="孩子的天空"),
        source="http://dazhou.scjyxw.com/news/20230607/1000010000335659.html",
    ),
    M(
        "黄丽萍",
        "2026-10-23 09:00",
        "10月22日,成都百万职工技能大赛中小学教师多媒体课件制作决赛在崇庆中学举行,来自117所学校的126名选手参加决赛。",
        A("competition", "done", "10-22", "崇庆中学", participants=126),
        source="https://cdjky.com/contents/365/16596.html",
    ),
    M(
        "卢志米",
        "2026-11-25 17:30",
        "今天下午,虢镇小学举行第八届现代信息技术教育成果展评活动,多媒体课件组共有15位老师参赛。",
        A("competition", "done", "11-25", "虢镇小学", participants=15),
        source="http://guoxiao.net/Arts_Education_Info.php?inid=1386603725",
    ),
    MA(
        "刘文斌",
        "2026-11-26 18:00",
        "城关小学教科室组织了首届教师课件制作比赛,吸引了中青年教师20来人参赛,评出一、二、三等奖若干名。",
        A("competition", "done", None, "CG", participants=20),
        source="http://www.ltworld.com.cn/Print.aspx?id=176",
    ),
    M(
        "邱克红",
        "2027-05-30 09:00",
        "5月29日,长沙市青竹湖湘一外国语学校师生一行来到涟源市湄江镇长春联校,开展“青春手拉手,友爱再相随”交流活动。",
        A("student_activity", "done", "05-29", "长沙市青竹湖湘一外国语学校 涟源市湄江镇长春联校"),
        source="http://m.hn268.cn/content/2024/05/31/7376.html",
    ),
    # --- fresh set (branch n1): 40 sentences from pages not used above, labelled by hand
    # from the spec before any rule change; all held out (build.py HELDOUT_ONLY), never tuned on.
    M(
        "卢志米",
        "2026-11-13 09:00",
        "11月12日,建行成都锦城支行团总支为勒乌小学捐建爱心阅览室,并捐赠了书包、图书、文体器材等爱心物资。",
        A("resource_support", "done", "11-12", "勒乌小学"),
        source=F_LEWU,
    ),
    M(
        "张炜",
        "2026-11-10 10:00",
        "近日,共青团富顺县委员会与富顺县青少年宫联合启动了公益送教下乡活动,送教团队走进互助申能希望小学、板桥白房小学、大城蔡坳村小等学校。",
        A("lesson_delivery", "done", None, "互助申能希望小学 板桥白房小学 大城蔡坳村小"),
        source=F_FUSHUN,
    ),
    M(
        "张炜",
        "2026-11-10 10:05",
        "本次活动将开展送教课程96课时,服务乡村少年儿童1600余人次。",
        C(),
        source=F_FUSHUN,
    ),
    M(
        "马欣瑞",
        "2026-11-20 09:00",
        "近日,桐乡市毛衫城小学与开化县长虹乡虹军小学的学生隔着屏幕,共同上了一堂美术课。",
        A(
            "sync_class",
            "done",
            None,
            "桐乡市毛衫城小学 开化县长虹乡虹军小学",
            subject="美术",
            lessons=1,
        ),
        source=F_TONGXIANG,
    ),
    M(
        "马欣瑞",
        "2026-11-20 09:05",
        "该市遴选了32所学校与开化县的学校建立结对支援关系,并先后派遣100多名骨干教师赴开化带徒帮教。",
        C(),
        source=F_TONGXIANG,
    ),
    M(
        "陈志强",
        "2026-12-17 08:30",
        "12月16日下午,六安市解放路第一小学和西河口乡龙门学校同步课堂首次开通运行,青年教师李玲为两个学校带来一节语文公开课《风娃娃》。",
        A(
            "sync_class",
            "done",
            "12-16",
            "六安市解放路第一小学 西河口乡龙门学校",
            teachers="李玲",
            subject="语文",
            title="风娃娃",
            lessons=1,
        ),
        source=F_LUAN,
    ),
    M(
        "陈志强",
        "2026-11-21 08:30",
        "11月20日,六安市城北小学与狮子岗乡杨店小学开展同步课堂教学活动。",
        A("sync_class", "done", "11-20", "六安市城北小学 狮子岗乡杨店小学"),
        source=F_LUAN,
    ),
    M(
        "黄丽萍",
        "2026-12-25 09:00",
        "这学期,高亭中心小学与长涂小学的“同步课堂”已开展了31节。",
        C(),
        source=F_DAISHAN,
    ),
    M(
        "刘文斌",
        "2026-09-17 09:00",
        "9月15日至16日,玉溪小学、五桂小学、宝龙学校和田家学校的教师代表来到潼州小学,开展为期两天的跟岗研修。",
        X(
            "shadowing",
            "done",
            "09-15",
            "09-16",
            "玉溪小学 五桂小学 宝龙学校 田家学校 潼州小学",
            None,
            "潼州小学",
        ),
        source=F_TONGZHOU,
    ),
    M(
        "苏雅琴",
        "2026-12-08 09:00",
        "新光小學在12月7日上午舉辦教學開放日活動,讓家長走進校園,走進課堂,親身體會新課程的課堂教學氛圍。",
        A("open_day", "done", "12-07", "新光小学"),
        source=F_XINGUANG,
    ),
    M(
        "郑建华",
        "2027-04-12 09:00",
        "2027年4月11日,陈溪乡中心小学全校80多位师生来到上虞实小,走进14个教学班体验课堂。",
        A("student_activity", "done", "04-11", "陈溪乡中心小学 上虞实小", participants=80),
        source=F_SHANGYU,
    ),
    M(
        "黄丽萍",
        "2026-09-26 10:00",
        "2026年9月25日,锡林浩特市第三小学开展小学语文“同课异构”联片教研活动,锡林浩特市第三小学的田慧老师、锡林浩特市第十二小学的张胜霞老师、锡林浩特市第十三小学的曾婷老师、锡林浩特市第十五小学的谢舒庭老师执教了《太阳》一课。",
        A(
            "joint_research",
            "done",
            "09-25",
            "锡林浩特市第三小学 锡林浩特市第十二小学 锡林浩特市第十三小学 锡林浩特市第十五小学",
            teachers="田慧 张胜霞 曾婷 谢舒庭",
            subject="语文",
            title="太阳",
        ),
        source=F_XILIN,
    ),
    M(
        "叶潇潇",
        "2026-10-16 09:00",
        "10月15日,中国光华科技基金会光华公益书海工程图书捐赠仪式在剑川县羊岑乡金坪完小举行。",
        A("resource_support", "done", "10-15", "剑川县羊岑乡金坪完小"),
        source=F_JIANCHUAN,
    ),
    M(
        "叶潇潇",
        "2026-10-20 09:00",
        "近日,共青团雷山县委员会携手贵阳市心心社到丹江镇固鲁小学,为高岩村等5所小学校贫困学子送去了1600册图书。",
        A("resource_support", "done", None, "丹江镇固鲁小学"),
        source=F_LEISHAN,
    ),
    M(
        "吴丽琼",
        "2027-05-16 09:00",
        "5月15日,爱心人士走进通江县涪阳镇中心小学,捐赠了1522套课桌椅和100份爱心礼包。",
        A("resource_support", "done", "05-15", "通江县涪阳镇中心小学"),
        source=F_TONGJIANG,
    ),
    M(
        "邱克红",
        "2027-01-14 09:00",
        "1月13日上午,中国矿业大学研究生支教团在重庆市合川区三汇镇响水完全小学举行学习用品捐赠仪式。",
        A("resource_support", "done", "01-13", "中国矿业大学 重庆市合川区三汇镇响水完全小学"),
        source=F_KUANGDA,
    ),
    M(
        "张茂玉",
        "2027-07-21 09:00",
        "7月20日,西藏区局与厦门翔业集团爱心基金会代表前往八宿县林卡乡小学,举行爱心图书捐赠暨爱心图书馆揭牌仪式。",
        A("resource_support", "done", "07-20", "八宿县林卡乡小学"),
        source=F_BASU,
    ),
    M(
        "许鲁湘",
        "2026-10-26 09:00",
        "10月22日至25日,华南师范大学名师培养基地10位名师培养对象在关岭县开展送教帮扶活动。",
        A(
            "lesson_delivery",
            "done",
            "10-22",
            "华南师范大学",
            "华南师范大学",
            None,
            participants=10,
        ),
        source=F_GUANLING,
    ),
    M(
        "许鲁湘",
        "2026-10-26 09:10",
        "活动首日,10位名师兵分四路,深入关岭县民族高级中学、县第三中学、县实验学校、县综合性高中,采取推门听课的方式,累计听评课35节。",
        A(
            "joint_research",
            "done",
            None,
            "关岭县民族高级中学 县第三中学 县实验学校 县综合性高中",
            participants=10,
            lessons=35,
        ),
        source=F_GUANLING,
    ),
    M(
        "孙慧霞",
        "2027-03-21 09:00",
        "3月20日,县实验小学举行教联体青年教师“五个一”教学大比武活动——演讲比赛,共有97名青年教师参加活动。",
        A("competition", "done", "03-20", "县实验小学", participants=97),
        source=F_YSXW,
    ),
    M(
        "郑建华",
        "2027-05-24 09:00",
        "2027年5月23日,“长三角生态绿色一体化发展示范区”第三届中青年教师教学评比大赛在上海师范大学附属青浦重固学校启幕,12所联盟学校的43位中青年教师同台竞技。",
        A("competition", "done", "05-23", "上海师范大学附属青浦重固学校", participants=43),
        source=F_SHNU,
    ),
    M(
        "张凤琴",
        "2027-06-11 09:00",
        "6月5日至10日,北京四中与河南省鹤壁市淇县五所农村学校开展了一场研学活动。",
        A("student_activity", "done", "06-05", "北京四中"),
        source=F_SIZHONG,
    ),
    M(
        "吴学红",
        "2027-03-18 09:00",
        "连日来,江西省吉安市吉州区樟山中心小学组织学生分批来到辖区油菜花田开展研学旅行。",
        A("student_activity", "done", None, "江西省吉安市吉州区樟山中心小学"),
        source=F_ZHANGSHAN,
    ),
    M(
        "吴学红",
        "2026-09-25 09:00",
        "连日来,张掖市综合实践学校近千名学生走进新河田园综合体,开启了一场研学之旅。",
        A("student_activity", "done", None, "张掖市综合实践学校", participants=1000),
        source=F_ZHANGYE,
    ),
    M(
        "好吾兰",
        "2027-04-04 09:00",
        "来自大连市40所希望小学的45名教师将在上海进行为期一周的培训,开班仪式昨天在希望工程教师(上海)培训基地举行。",
        A("lecture_training", "done", "04-03", participants=45),
        source=F_HOPE,
    ),
    M(
        "林晓燕",
        "2026-08-31 09:00",
        "2026年8月25日至30日,中山市教师发展中心组织全市47名教师培训师赴武汉大学开展教师培训者专项培训。",
        A("lecture_training", "done", "08-25", "武汉大学", participants=47),
        source=F_ZHONGSHAN,
    ),
    M(
        "林晓燕",
        "2026-08-31 09:10",
        "8月26日上午,武汉大学杜莉教授为研修班作《创新教育与创新人才培养》专题讲座。",
        A(
            "lecture_training",
            "done",
            "08-26",
            "武汉大学",
            teachers="杜莉",
            title="创新教育与创新人才培养",
        ),
        source=F_ZHONGSHAN,
    ),
    M(
        "陈志强",
        "2026-12-20 09:00",
        "日前,首届教育强区(县、市)政策与规划研讨会在成都市双流区举办,来自全国17个省近百个区(县、市)的代表300多人参加了现场会议。",
        A("meeting", "done", None, participants=300, mode="offline"),
        source=F_EOL,
    ),
    M(
        "陈志强",
        "2026-12-22 09:00",
        "12月21日,“新型城镇化背景下城乡教育一体化研讨会”在成都召开,成都大学副校长柯玲主持开幕式。",
        A("meeting", "done", "12-21", "成都大学", teachers="柯玲"),
        source=F_CDU,
    ),
    M(
        "刘文斌",
        "2026-11-30 09:00",
        "最后,天津路小学语文教师田亚男和小南小学科学教师马立进行了课堂展示。",
        A("demo_lesson", "done", None, "天津路小学 小南小学", teachers="田亚男 马立"),
        source=F_KUANCHENG,
    ),
    M(
        "苏雅琴",
        "2026-11-28 09:00",
        "在本次家长开放日上,何小兵校长围绕“营造良好教育生态,搭建健康成长平台”与家长展开交流。",
        A("open_day", "done", None, teachers="何小兵"),
        source=F_HYSXW,
    ),
    M(
        "卢志米",
        "2027-05-10 09:00",
        "昨天下午,中國光華科技基金會聯合蘇州市慈善總會舉辦了“書海揚帆”線上圖書捐贈儀式,向新疆阿圖什市、霍爾果斯市等地共70所學校捐贈了30萬冊圖書。",
        A("resource_support", "done", "05-09", mode="online"),
        source=F_SUZHOU,
    ),
    M(
        "张茂玉",
        "2027-06-15 09:00",
        "6月14日,“千万图书走进赤水河源头,感恩云南镇雄”图书捐赠仪式在云南省镇雄县举行。",
        A("resource_support", "done", "06-14"),
        source=F_ZHENXIONG,
    ),
    M(
        "黄丽萍",
        "2026-10-30 09:00",
        "近日,全国中小学青年教师教学竞赛优秀获奖选手巡讲活动成功举办,共有来自63所学校的近800名教师代表参与活动。",
        A("lecture_training", "done", None, participants=800),
        source=F_XUNJIANG,
    ),
    M(
        "邱克红",
        "2026-12-23 09:00",
        "12月22日,陶行知教育基金會“科技興教 扶智助學”公益活動在許市中學舉行,向16所學校捐贈信息化教學設備。",
        A("resource_support", "done", "12-22", "许市中学"),
        source=F_XUSHI,
    ),
    M(
        "吴丽琼",
        "2026-09-25 09:00",
        "9月24日,在新鄉市第二十二中學校長郭曉華和副校長李海蓉的帶領下,該校“春雨行動”小分隊再次來到陳固鎮初級中學,開展送教和愛心捐贈活動。",
        A(
            "lesson_delivery",
            "done",
            "09-24",
            "新乡市第二十二中学 陈固镇初级中学",
            "新乡市第二十二中学",
            "陈固镇初级中学",
            "郭晓华 李海蓉",
        ),
        source=F_XINXIANG,
    ),
    M(
        "张茂玉",
        "2027-05-20 09:00",
        "5月19日,邢臺市山東商會與“明日之星”教育基金會在廣宗縣舉辦“同心助學助教”公益捐贈活動。",
        A("resource_support", "done", "05-19"),
        source=F_GUANGZONG,
    ),
    M(
        "许鲁湘",
        "2027-03-15 09:00",
        "3月14日,昭通市實驗小學校長吳明森一行,到舊圃鎮三善堂小學開展“手拉手”教育幫扶活動,向學校捐贈了學生課桌等教學工具。",
        A(
            "resource_support",
            "done",
            "03-14",
            "昭通市实验小学 旧圃镇三善堂小学",
            teachers="吴明森",
        ),
        source=F_ZHAOTONG,
    ),
    M(
        "邱克红",
        "2026-10-18 09:00",
        "10月17日,省总工会主席周农前往隆回县三阁司镇天子山五一小学进行实地调研,天子山五一小学校长方怡笔一同参加。",
        A(
            "inspection",
            "done",
            "10-17",
            "隆回县三阁司镇天子山五一小学",
            teachers="周农 方怡笔",
            mode="offline",
        ),
        source=F_LONGHUI,
    ),
    M(
        "好吾兰",
        "2027-03-02 09:00",
        "調研組分別到界頭中心小學、清水中學、清水鄉四合完小等學校調研,詳細了解學校各方面情況。",
        A("inspection", "done", None, "界头中心小学 清水中学 清水乡四合完小"),
        source=F_JIETOU,
    ),
    # --- batch 7 (branch c2): 55 sentences from pages not used above, labelled by hand from
    # the spec before the parser ran on them; drawn like the other batches.
    M(
        "刘文斌",
        "2026-12-04 09:00",
        "近日,玉环市城关中心小学和张庄小学、海山学校的五年级学生通过大屏幕“共聚一堂”,利用实时录播系统,上了一堂别开生面的语文课。",
        A(
            "sync_class",
            "done",
            None,
            "玉环市城关中心小学 张庄小学 海山学校",
            subject="语文",
            lessons=1,
        ),
        source=G_YUHUAN,
    ),
    M(
        "刘文斌",
        "2026-12-04 09:05",
        "今年6月以来,玉环依托互联网远程直播互动技术,短短半年实现远程同步授课200多节,完成了规定教学任务的一半以上。",
        C(),
        source=G_YUHUAN,
    ),
    M(
        "卢志米",
        "2027-05-28 09:00",
        "5月27日,在淮安市洪泽区高良涧小学五年级的语文观摩课上,何丽老师以漫画引入课文《手指》,30多位来自西片区“校联体”成员校的语文教师听课。",
        A(
            "demo_lesson",
            "done",
            "05-27",
            "淮安市洪泽区高良涧小学",
            teachers="何丽",
            subject="语文",
            title="手指",
            participants=30,
        ),
        source=G_HONGZE,
    ),
    M(
        "卢志米",
        "2027-05-28 09:05",
        "改革推行半年以来,洪泽统一组建了覆盖主要学科的24个中心教研组,统一开展每月主题教研活动。",
        C(),
        source=G_HONGZE,
    ),
    M(
        "好吾兰",
        "2027-03-16 09:00",
        "3月14日,中國獅子聯會陝西三友服務隊聯合海康威視STAR公益,為三岔河鎮九年制學校開設的春芽助學“同步課堂”正式啟動,上的第一節課是手工折紙課。",
        A("sync_class", "done", "03-14", "三岔河镇九年制学校"),
        source=G_SANCHAHE,
    ),
    M(
        "黄丽萍",
        "2026-12-30 09:00",
        "12月29日,宣汉县实验小学与庙安中心小学开展了“结对送教”关爱留守儿童帮扶活动,宣汉县实验小学教师代表周阳光老师、李智婕老师分别为孩子们上了体育课和美术课。",
        A(
            "lesson_delivery",
            "done",
            "12-29",
            "宣汉县实验小学 庙安中心小学",
            "宣汉县实验小学",
            "庙安中心小学",
            "周阳光 李智婕",
        ),
        source=G_XUANHAN,
    ),
    M(
        "郑建华",
        "2026-12-30 09:05",
        "最后,宣汉县实验小学校长石娟为庙安中心小学的孩子们赠送了学习用品和体育用品。",
        A("resource_support", "done", None, "宣汉县实验小学 庙安中心小学", teachers="石娟"),
        source=G_XUANHAN,
    ),
    M(
        "许鲁湘",
        "2026-10-11 09:00",
        "10月10日上午,大明小学一位二年级学生的家长来到学校,向学校捐赠图书70本,供学生免费阅读。",
        A("resource_support", "done", "10-10", "大明小学"),
        source=G_DAMING,
    ),
    M(
        "张茂玉",
        "2027-06-26 09:00",
        "6月25日,童心卓凡基金会走进洋溪镇中心小学捐建了30个班级图书角,捐赠了总价值近20万元的书柜、5400册图书。",
        A("resource_support", "done", "06-25", "洋溪镇中心小学"),
        source=G_YANGXI,
    ),
    M(
        "苏雅琴",
        "2026-10-23 09:00",
        "10月22日,千林山小学大队部向全校师生发出倡议,号召大家捐出家中闲置的书籍,送给百省乡中心小学的同学们。",
        C(),
        source=G_QIANLINSHAN,
    ),
    M(
        "苏雅琴",
        "2026-10-29 09:00",
        "千林山小学刘文红副校长向百省乡中心小学的同学们介绍了捐书的情况,接着向同学们分发了捐赠的书籍和千林山小学同学们写的友谊书签。",
        A("resource_support", "done", None, "千林山小学 百省乡中心小学", teachers="刘文红"),
        source=G_QIANLINSHAN,
    ),
    M(
        "陈志强",
        "2027-06-27 09:00",
        "近日,集美区某小学二年级五班的全体学生向东溪希望小学捐赠少儿图书162册。",
        A("resource_support", "done", None, "东溪希望小学"),
        source=G_DONGXI,
    ),
    M(
        "郑建华",
        "2026-12-24 09:00",
        "12月23日,金阊新城实验小学校召开跟岗学习座谈会,来自江口县怒溪镇中心完小的文子军校长和闵孝镇中心完小的万彦杉老师谈了自己的体会和收获。",
        A(
            "meeting",
            "done",
            "12-23",
            "金阊新城实验小学校 江口县怒溪镇中心完小 闵孝镇中心完小",
            teachers="文子军 万彦杉",
        ),
        source=G_JINCHANG,
    ),
    M(
        "郑建华",
        "2026-12-24 09:05",
        "为期一月的跟岗学习已经落下帷幕,文子军校长和万彦杉老师在金阊新城实验小学校观摩了语文、数学、程序设计等多节课堂。",
        X(
            "shadowing",
            "done",
            None,
            None,
            "金阊新城实验小学校",
            None,
            "金阊新城实验小学校",
            "文子军 万彦杉",
        ),
        source=G_JINCHANG,
    ),
    M(
        "邱克红",
        "2026-12-05 09:00",
        "12月4日,臨沂金雀山小學成功舉辦了“相約初冬 共見成長”家長開放日活動,邀請家長們走進校園、觀摩課堂。",
        A("open_day", "done", "12-04", "临沂金雀山小学"),
        source=G_LINYI,
    ),
    M(
        "卢志米",
        "2026-12-10 09:00",
        "12月9日上午,瑞昌市第四小學舉行了一年級家長開放日活動,以戶外早操、走進課堂、參觀校園、午間陪餐等形式向家長展示了孩子們在校的半日生活。",
        A("open_day", "done", "12-09", "瑞昌市第四小学"),
        source=G_RUICHANG,
    ),
    M(
        "卢志米",
        "2026-12-10 09:05",
        "隨後,家長們進入多媒體教室聆聽校長周廣珍作的《“雙減”我們做什麼》專題講座。",
        A("lecture_training", "done", None, teachers="周广珍", title="“双减”我们做什么"),
        source=G_RUICHANG,
    ),
    M(
        "叶潇潇",
        "2027-04-28 09:00",
        "4月27日下午,徐教院附小举行一年级家长开放日,家长们和孩子们一起听老师讲课,参观孩子天天待着的教室。",
        A("open_day", "done", "04-27", "徐教院附小"),
        source=G_XUJIAOYUAN,
    ),
    M(
        "陈志强",
        "2027-02-25 09:00",
        "2月24日,聊城高新区小学校长、教师全员培训会在高新区实验小学举办,冯明才作教育思想报告,高新区小学全体校长、教师等400余人参加。",
        A(
            "lecture_training",
            "done",
            "02-24",
            "高新区实验小学",
            teachers="冯明才",
            participants=400,
        ),
        source=G_GAOXIN,
    ),
    M(
        "孙慧霞",
        "2026-09-09 09:00",
        "9月8日下午,安康學院遠程美育支教試點“常態化音樂教學”課程在茅坪鎮中心小學正式開課,通過課堂直播的方式遠程授課。",
        A("sync_class", "done", "09-08", "安康学院 茅坪镇中心小学", subject="音乐"),
        source=G_ANKANG,
    ),
    M(
        "孙慧霞",
        "2026-09-09 09:05",
        "首節課上,安康學院的老師通過直播,為茅坪小學三年級五個班的272名學生同時教唱歌曲《小酒窩》。",
        A(
            "sync_class",
            "done",
            None,
            "安康学院 茅坪小学",
            title="小酒窝",
            participants=272,
        ),
        source=G_ANKANG,
    ),
    M(
        "叶潇潇",
        "2026-11-26 09:00",
        "温州启动乡村美育计划,招募百名音乐名师与山区学校固定结对,常态化开展“空中课堂”,开足、开好乡村学校音乐课程。",
        C(),
        source=G_WENZHOU,
    ),
    M(
        "吴学红",
        "2026-11-25 09:00",
        "11月24日14:30,“上海—遵义合唱教学空中课堂”项目启动仪式在遵义市第四中学音乐教室举行。",
        A("meeting", "done", "11-24", "遵义市第四中学"),
        source=G_ZUNYI,
    ),
    M(
        "马欣瑞",
        "2026-11-20 09:00",
        "日前,句容市天王中心小学请来片区学校体育教师参加学校体育教学研讨活动,该校3位教师分别上了一节体育课。",
        A("joint_research", "done", None, "句容市天王中心小学", subject="体育", lessons=3),
        source=G_JURONG,
    ),
    M(
        "邱克红",
        "2026-10-13 09:00",
        "10月12日,江西省教育学会小学校长研究会第一次会长工作会议在南昌大学附属小学前湖分校召开,会长叶存洪主持会议。",
        A("meeting", "done", "10-12", "南昌大学附属小学前湖分校", teachers="叶存洪"),
        source=G_NANCHANG,
    ),
    M(
        "吴学红",
        "2026-10-17 09:00",
        "10月16日下午,江苏省小学校长与学校发展专业委员会在无锡市峰影小学举行了秋季“马山论坛”校长工作研讨会议,来自全省62所小学的校长、副校长齐聚一堂。",
        A("meeting", "done", "10-16", "无锡市峰影小学"),
        source=G_FENGYING,
    ),
    M(
        "张炜",
        "2026-12-03 09:00",
        "12月1日,四川宜宾育才学校荣绍明老师的优质课获宜宾县柏溪片区一等奖。",
        C(),
        source=G_YUCAI,
    ),
    M(
        "林晓燕",
        "2026-12-23 09:00",
        "西夏墅小学工会开展了首届“西小杯”青年教师课堂教学擂台赛,全校35周岁以下的教师共计34人参加。",
        A("competition", "done", None, "西夏墅小学", participants=34),
        source=G_XIXIASHU,
    ),
    M(
        "林晓燕",
        "2026-12-23 09:05",
        "张丽娟、刘艳、陆丽君、王瑛等16位老师分获语文、数学、英语和术科组一等奖。",
        C(),
        source=G_XIXIASHU,
    ),
    M(
        "马欣瑞",
        "2026-09-01 09:00",
        "近日,由教育部和全国总工会联合举办的第四届全国中小学青年教师教学竞赛决赛在浙江嘉兴学院举行。",
        A("competition", "done", None, "浙江嘉兴学院"),
        source=G_QNJS,
    ),
    M(
        "马欣瑞",
        "2026-09-01 09:05",
        "经过激烈角逐,贵州省代表队获得1个一等奖,3个二等奖,1个三等奖。",
        C(),
        source=G_QNJS,
    ),
    M(
        "好吾兰",
        "2026-11-06 09:00",
        "近日,学校举办了青年教师教学基本功比赛,本次比赛包括毛笔字和粉笔字两个项目。",
        A("competition", "done"),
        source=G_YAAN,
    ),
    M(
        "许鲁湘",
        "2027-06-25 09:00",
        "6月24日,金牛区教师基本功大赛决赛在成都七中万达学校通锦校区举行,311名参赛教师分组抽签依次进行现场决赛。",
        A(
            "competition",
            "done",
            "06-24",
            "成都七中万达学校通锦校区",
            participants=311,
            mode="offline",
        ),
        source=G_JINNIU,
    ),
    M(
        "许鲁湘",
        "2027-06-25 09:05",
        "初赛在各个学校层面展开,全区200多所中小学幼儿园高度重视,13000多名教师深度参与。",
        C(),
        source=G_JINNIU,
    ),
    M(
        "陈志强",
        "2026-11-12 09:00",
        "近日,县实验小学举办教师基本功大赛系列活动,比赛包括钢笔字、粉笔字、毛笔字及朗诵等竞赛项目。",
        A("competition", "done", None, "县实验小学"),
        source=G_ZHUSHAN,
    ),
    M(
        "陈志强",
        "2026-11-12 09:05",
        "通过评比,9名教师获得一等奖,10名教师获得二等奖,16名教师获得三等奖。",
        C(),
        source=G_ZHUSHAN,
    ),
    M(
        "张凤琴",
        "2027-03-02 09:00",
        "3月1日上午,教育局督导组张艳玲组长、刘让信校长及董时平老师一行三人莅临八一小学开展开学督导检查工作。",
        A(
            "inspection",
            "done",
            "03-01",
            "八一小学",
            teachers="张艳玲 刘让信 董时平",
            participants=3,
        ),
        source=G_BAYI,
    ),
    M(
        "许鲁湘",
        "2027-02-14 09:00",
        "2月13日下午,隨縣教育局春季開學專項督導組對長崗鎮各中小學和幼兒園開學各項工作進行現場督導。",
        A("inspection", "done", "02-13", mode="offline"),
        source=G_SUIXIAN,
    ),
    M(
        "许鲁湘",
        "2027-02-22 09:00",
        "每個督查組至少督查了6所學校,督查活動結束後形成了書面材料,總結了成績,提出了合理化的建議。",
        C(),
        source=G_DANCHENG,
    ),
    M(
        "吴学红",
        "2026-09-07 09:00",
        "9月6日,銅山區教育局開學檢查專項督查領導馬科長、趙主任蒞臨銅山區漢王鎮北望小學,進行開學工作的檢查和指導。",
        A("inspection", "done", "09-06", "铜山区汉王镇北望小学"),
        source=G_BEIWANG,
    ),
    M(
        "张茂玉",
        "2026-09-14 09:00",
        "9月13日上午,崇川区人民政府督导室丁炳泉督学来到一附集团朝晖小学,进行学期初专项督导工作。",
        A("inspection", "done", "09-13", "一附集团朝晖小学", teachers="丁炳泉"),
        source=G_ZHAOHUI,
    ),
    M(
        "叶潇潇",
        "2027-05-18 09:00",
        "5月17日,首都师范大学附属苹果园中学相玉德老师为宁城八里罕中学高二1000多名学生做了“自然地理环境对人类活动的影响”讲座。",
        A(
            "lecture_training",
            "done",
            "05-17",
            "首都师范大学附属苹果园中学 宁城八里罕中学",
            teachers="相玉德",
            participants=1000,
        ),
        source=G_PINGGUOYUAN,
    ),
    M(
        "马欣瑞",
        "2027-03-20 09:00",
        "2022年,中央组织部、教育部启动国家乡村振兴重点帮扶县教育人才“组团式”帮扶工作,上海市选派141名教师赴云南开展帮扶。",
        C(),
        source=G_SONGJIANG,
    ),
    M(
        "刘文斌",
        "2027-06-02 09:00",
        "6月1日上午8時,單集鎮段山小學隆重舉辦“童心向黨,歡度六一”慶六一匯演暨藝術節活動,全校師生用文藝匯演的形式共慶兒童節。",
        A("student_activity", "done", "06-01", "单集镇段山小学"),
        source=G_DUANSHAN,
    ),
    M(
        "吴丽琼",
        "2027-05-31 09:00",
        "5月30日下午,东宽亭小学隆重举行了“红领巾心向党,阳光下快乐成长”庆六一文艺演出。",
        A("student_activity", "done", "05-30", "东宽亭小学"),
        source=G_DONGKUANTING,
    ),
    M(
        "张炜",
        "2027-06-01 09:00",
        "5月31日上午,自贡市荣县乐德镇李晏小学联合幼儿园举办了庆祝“六一”儿童节的文艺汇演。",
        A("student_activity", "done", "05-31", "自贡市荣县乐德镇李晏小学"),
        source=G_LIYAN,
    ),
    M(
        "孙慧霞",
        "2027-05-31 09:00",
        "30日下午,这80名孩子又来到嵩县饭坡乡上海海事希望小学,城里的小伙伴被农村的学生们带进田间地头,一起干农活、认识农作物。",
        A("student_activity", "done", "05-30", "嵩县饭坡乡上海海事希望小学", participants=80),
        source=G_SONGXIAN,
    ),
    M(
        "邱克红",
        "2026-09-29 09:00",
        "9月25日至28日,四川美丰寿丰实验学校校长王天春与该校学科领衔教师一行13人来到越西县越城镇中心校,音乐、体育、美术、英语学科领衔教师分别上了四堂展示课。",
        A(
            "demo_lesson",
            "done",
            "09-25",
            "四川美丰寿丰实验学校 越西县越城镇中心校",
            teachers="王天春",
            participants=13,
            lessons=4,
        ),
        source=G_SHOUFENG,
    ),
    M(
        "张茂玉",
        "2027-04-20 09:00",
        "4月,石婆店镇迎来了解放路小学“送教下乡”活动,王家胜、陈明珩、王立平、杨安全、朱冬梅、吴开永几位教育专家和教学能手来到石婆店镇中心小学。",
        A(
            "lesson_delivery",
            "done",
            None,
            "解放路小学 石婆店镇中心小学",
            "解放路小学",
            "石婆店镇中心小学",
            "王家胜 陈明珩 王立平 杨安全 朱冬梅 吴开永",
        ),
        source=G_SHIPODIAN,
    ),
    M(
        "郑建华",
        "2026-09-18 09:00",
        "近日,由縣教育局組織的“骨幹教師展示課活動”落下了帷幕,翔宇寶應實小共有六十多位骨幹教師參加,分別被派往安宜、柳堡、曹甸和望直港等四個教研片傳經送寶。",
        A("demo_lesson", "done", None, "翔宇宝应实小", participants=60),
        source=G_XIANGYU,
    ),
    M(
        "苏雅琴",
        "2026-11-24 09:00",
        "11月23日上午,省级革命老区县教师、校长来莆跟岗学习开班仪式在莆田市教师进修学院附属小学举行,来自宁德、三明的50位校长、老师参加。",
        A("meeting", "done", "11-23", "莆田市教师进修学院附属小学", participants=50),
        source=G_PUTIAN,
    ),
    M(
        "苏雅琴",
        "2026-11-24 09:05",
        "开班仪式后,五所基地校负责人带领跟岗学员返回各校,正式开始二十天的跟岗学习。",
        X("shadowing", "done"),
        source=G_PUTIAN,
    ),
    M(
        "黄丽萍",
        "2026-10-24 09:00",
        "10月23日,嘉定区教育学院与楚雄州教学管理干部跟岗研修总结会召开,楚雄州4位教学管理干部分享了两个月跟岗学习的体会。",
        A("meeting", "done", "10-23", "嘉定区教育学院", participants=4),
        source=G_JIADING,
    ),
    M(
        "黄丽萍",
        "2026-10-24 09:05",
        "鲁芳君还提及,石沂波、沈国全老师捐赠的312本教学指导丛书已先行寄往楚雄。",
        A("resource_support", "done", teachers="石沂波 沈国全"),
        source=G_JIADING,
    ),
    M(
        "好吾兰",
        "2027-06-16 09:00",
        "我省今年将继续选派教师支教边远贫困地区、边疆民族地区、革命老区,选派名额为2000人,支教时间从今年9月持续至明年7月。",
        C(),
        source=G_GUIZHOU,
    ),
]
