"""Authored source of the HELD-OUT messages (voice B). Written for Perisai; not copied from anywhere.

Every line is hand-written, one message each, `lang|text`, in a different voice from the training set
(longer, more narrative, other words for the same things) and shares no template with it. Used only to
measure the classifier: do not tune on it.
"""

HELDOUT: dict[str, str] = {
    "emergency": """
id|kak tolongin aku, bapak majikan lagi mabuk dan nendang2 aku di dapur
id|ibu tolong, dia udah nyekik leher saya barusan, sekarang saya lari ke jalan
id|aku dikurung di gudang belakang dari kemarin, gelap dan gak ada air
id|saya ga mau hidup lagi min, rasanya pengen loncat dari balkon
id|mohon bantuan segera, nyawa saya terancam, majikan mengancam akan membunuh saya
id|anak majikan baru saja memperkosa saya di kamar, saya gemetar
id|rekan kerja saya jatuh dari tangga, kepalanya berdarah dan tidak sadar
id|gempa, rumah roboh, saya tertimpa lemari tidak bisa gerak
id|TOLONGGG SY DIPUKULIN SKRG
id|dia pegang golok dan bilang malam ini saya mati
id|pintu kamar dikunci dari luar, jendela diteralis, saya tidak bisa keluar dan ketakutan
id|sy baru minum racun serangga, maaf
id|teman kos saya sesak napas parah bibirnya biru
id|lagi ada kebakaran di apartemen, asap tebal di lorong kami di lantai 9
id|majikan perempuan menyiram saya air panas tadi, kulit melepuh semua
id|ada orang mau dobrak pintu kamar saya, saya sendirian dan takut sekali
id|saya hamil tua, ketuban pecah, sendirian di rumah majikan
id|suami saya lagi ngamuk bawa pisau, saya sembunyi sama anak di toilet
en|he is strangling me please send someone
en|my boss just raped me and i don't know where i am
en|i'm going to jump off the building tonight, nobody cares
en|she locked me inside and turned off the lights, i'm terrified
en|my roommate took too many pills and won't wake up
en|the flood water is up to our necks, we're on the roof with two kids
en|please call the police, he's kicking the door and says he'll murder me
en|i can't breathe, my chest hurts so much, i'm alone at my employer's house
mixed|help!!! madam pukul kepala sy pake setrika skrg berdarah
mixed|please sir tolong, boss threaten kill me with knife sekarang
mixed|i'm hiding in the bathroom, majikan cowok mau masuk paksa
mixed|my friend overdose kak, gak sadar dari tadi
ms|tolong saya, majikan tengah pukul saya dengan tali pinggang
ms|saya rasa nak mati je, tak sanggup lagi hidup macam ni
ms|anak majikan rogol saya semalam, saya takut dia datang lagi
ms|rumah kami terbakar, kawan saya terperangkap di dalam
jv|tulungono aku, majikan lanang nggowo pisau arep mateni aku
jv|aku dikurung nang kamar, ora dikei mangan, wedi tenan
jv|kancaku semaput nang pawon, ora sadar, piye iki
jv|aku wis ora kuat urip, pengen gantung diri wae
id|darurat kak, saya diseret dan ditendang suami di jalan sekarang
id|kami terjebak longsor di asrama kebun, dua orang tertimbun
""",
    "abuse": """
id|selama kerja di sini madam hampir tiap hari ngatain saya bodoh dan babi
id|kemarin dulu saya dijambak karena masakannya keasinan, sekarang sudah di rumah teman
id|majikan pernah menyundut tangan saya pakai rokok bulan lalu, bekasnya masih ada
id|bapak majikan sering ngintip saya mandi dan ngomong jorok
id|agen di penampungan suka mukul kami kalau salah jawab pas latihan
id|mantan suami saya masih terus mengancam lewat wa dan memaki keluarga saya
id|waktu di majikan pertama saya sering ditendang, apakah masih bisa diproses
id|saya diperlakukan seperti binatang, makan sisa dan tidur di balkon
id|nenek yang saya jaga suka mencakar dan meludahi saya
id|tiap kali saya minta libur, bos marah2 dan lempar sandal ke muka saya
id|saya mau melaporkan kekerasan yang saya alami tahun lalu di arab
id|suami majikan kadang meraba raba kalau istrinya tidak ada, saya jijik
id|majikan suka mencubit dan menjewer sampai telinga saya luka
id|pacar saya sering memukul kalau saya tidak kasih uang
en|my employer yells at me and throws things at me almost every day
en|my former boss used to slap me, i want to file a complaint now
en|the grandmother i care for scratches and spits on me
en|my husband back home keeps threatening and insulting me over video call
en|my employer's son makes sexual comments and tries to touch me sometimes
en|i was kicked by my employer two weeks ago and my leg still hurts
en|they call me stupid and make me eat leftovers from the floor
mixed|madam suka pinch aku sampai bruise, every day like that
mixed|sy sering di-bully sama co-worker, kadang didorong
mixed|boss always scold pakai kata2 kotor, sy tertekan
mixed|dulu majikan sy suka hit pakai hanger, now sy udah pindah
ms|majikan saya selalu maki hamun dan baling barang
ms|bulan lepas saya kena tendang dengan anak majikan
ms|suami majikan selalu cuba sentuh badan saya, saya tak selesa
ms|ejen selalu tengking dan tampar kami masa di asrama
jv|majikanku saben dino nyeneni aku, ngarani bodho
jv|wingi sore aku dijambak majikan mergo telat masak
jv|bojoku nang omah seneng ngantemi aku nek mabuk
jv|anak majikan seneng nggrayangi aku, aku isin
id|saya ditampar dua kali minggu ini, sekarang lagi di kamar, mau tanya cara lapor
id|madam selalu menghukum saya berdiri di luar waktu hujan
id|saya sering diancam akan dipukul kalau tidak mau kerja sampai subuh
""",
    "trafficking": """
id|semua dokumen saya dipegang agensi, katanya baru dikembalikan kalau kontrak selesai
id|sudah 8 bulan saya tidak pernah keluar rumah, pintu pagar selalu digembok
id|awalnya dijanjikan jadi pelayan toko, ternyata disuruh menemani tamu di bar
id|saya dioper dari satu rumah ke rumah lain, sudah 4 majikan dalam 6 bulan
id|agensi bilang hutang saya 60 juta dan harus dicicil dari gaji sampai lunas, tapi tidak pernah lunas
id|saya direkrut untuk kerja admin di thailand tapi dibawa ke myanmar dan disuruh menipu orang online
id|bos tidak kasih paspor dan ktp, kalau mau pulang harus tebus 3000 dollar
id|kami puluhan orang dikurung di kompleks, disuruh kerja scam 16 jam, kalau target gak tercapai disetrum
id|saya dibawa lewat laut tanpa dokumen lalu diserahkan ke orang yang tidak saya kenal
id|hp saya diambil, saya cuma boleh telepon keluarga sebulan sekali diawasi
id|saya dipinjamkan majikan ke keluarganya untuk kerja tanpa bayaran tambahan
id|agen menjanjikan gaji 8 juta di pabrik, sampai sini dipaksa jadi pekerja seks
id|saya tidak bisa berhenti kerja karena katanya masih punya hutang tiket dan biaya pelatihan
id|majikan mengancam lapor polisi kalau saya minta paspor saya kembali
en|my passport and phone were taken on the first day, i am not allowed outside
en|i was recruited for a hotel job but now they make me work on a fishing boat with no pay
en|the company says i owe them for my flight and food, and i can't leave until it's paid
en|we are kept in a compound and forced to scam people online, guards beat those who refuse
en|i have been sold to three different employers in one year
en|my employer holds my passport, is that even allowed?
mixed|agency keep my passport, sy ga bisa kemana mana
mixed|sy dijanjikan kerja di cafe but now forced to work in massage parlour
mixed|boss bilang sy punya debt 5000 dollar, cannot go home before pay
mixed|kami kerja di online gambling company, can't leave the building, paspor disita
ms|majikan tahan pasport saya, saya tak dibenarkan keluar langsung
ms|saya dijanjikan kerja kilang tapi dipaksa kerja di kelab malam
ms|ejen kata saya berhutang banyak, kena kerja tanpa gaji sampai habis bayar
ms|saya dah tukar tangan tiga majikan, semua ejen yang atur tanpa tanya saya
jv|paspor lan hpku dijupuk agen, aku ora iso ngabari keluarga
jv|aku dijanjeni kerjo nang toko, jebule dipekso dadi pelayan karaoke
jv|utangku karo pt ora entek entek, gajiku dipotong kabeh
jv|aku ora oleh metu omah babar blas wis setaun
id|kami dijemput orang dari bandara lalu dibawa ke kamp, paspor dikumpulkan semua
id|saya ingin kabur tapi paspor di tangan majikan dan saya diawasi terus
id|katanya kerja di perkebunan resmi, ternyata kami dijaga orang bersenjata dan tidak digaji
""",
    "wages": """
id|sudah lima bulan gajian saya ditunda terus, katanya majikan lagi susah
id|kontraknya tertulis 20 ribu dolar taiwan tapi yang saya terima cuma 17 ribu
id|saya kerja dari subuh sampai tengah malam tapi uang lembur tidak ada
id|setelah kontrak selesai, sisa gaji 2 bulan belum dilunasi
id|majikan bilang gaji disimpan dulu biar saya tidak boros, sudah setahun
id|gaji bulan ini dipotong banyak katanya ganti rugi gelas pecah
id|saya mau mengadukan perusahaan yang tidak membayar upah kami
id|pabrik tutup mendadak, pesangon dan gaji terakhir tidak dibayar
id|gaji saya ditransfer ke rekening agen, bukan ke saya
id|slip gaji tidak pernah dikasih dan jumlahnya beda beda tiap bulan
id|saya belum terima gaji sejak awal kerja di kapal
id|uang cuti saya tidak dibayar padahal saya tidak pernah ambil libur
en|i haven't received my wages since january
en|my employer pays me half of what the contract says
en|they deducted my salary for breaking a vase, is that legal?
en|the factory closed and still owes us three months of pay
en|i work on sundays but my employer never pays the extra day
en|my last salary was not paid when i finished my contract
mixed|madam bilang salary will pay next month, tapi udah 4 bulan gitu terus
mixed|gaji sy dipotong for food and room, padahal kontrak free
mixed|overtime ga pernah dibayar, is there a way to claim?
mixed|company delay gaji kami lagi, already 2 months
ms|majikan belum bayar gaji saya sejak tahun lepas
ms|gaji saya kena potong setiap bulan tanpa sebab
ms|saya kerja lebih masa tapi tak dapat bayaran lebih masa
ms|syarikat tutup dan tak bayar gaji terakhir kami
jv|wis limang sasi bayaranku durung metu
jv|gajiku dicekel majikan, jarene mengko nek mulih
jv|lemburku ora tau dibayar blas
jv|gajiku kurang saka kontrak, mung separo
id|gaji saya dibayar tapi selalu kurang 200 ringgit dari perjanjian
id|majikan menunggak gaji dan tidak mau tanda tangan bukti pembayaran
""",
    "scam": """
id|ada sponsor di kampung minta uang 35 juta buat proses ke jepang, katanya pasti lolos, bener ga ya
id|saya transfer uang pendaftaran ke orang yang ngaku pt di instagram, sekarang nomornya tidak aktif
id|saya dapat telepon dari orang yang bilang dari kedutaan, minta biaya pengurusan
id|biaya keberangkatan saya ternyata tiga kali lipat dari yang resmi
id|kenalan di tiktok ngajak investasi, uang saya 12 juta hilang
id|saya dikejar debt collector pinjol, foto saya disebar ke kontak
id|calo bawa kabur uang kami sepuluh orang, kantornya sudah kosong
id|ada yang jual visa kerja ke eropa lewat grup wa, apakah itu asli
id|pacar online minta kirim uang untuk tiket ketemu, lalu menghilang
id|link hadiah yang saya klik ternyata menguras rekening saya
id|lpk tempat saya kursus minta biaya tambahan terus tanpa kuitansi
id|saya dijanjikan kerja di australia asal bayar jaminan, tidak ada kabar sampai sekarang
en|someone from an agency asked me to pay for a visa that never came
en|is this company licensed? they want a big fee before the interview
en|an online lover asked for money for customs fees and then blocked me
en|i borrowed from a moneylender and now the interest doubles every week
en|i paid a deposit for a job abroad and the office has vanished
en|i got a message saying i won a prize but must pay tax first
mixed|agen minta fee 3 kali lipat, is this normal or scam?
mixed|sy invest di crypto app, now can't withdraw, kayaknya scam
mixed|ada org offer job di canada via whatsapp, minta processing fee
mixed|loan app terus teror keluarga sy, bunga nya gila
ms|ada orang tawar kerja ke jepun, minta bayar dulu, boleh percaya ke
ms|saya tertipu dengan ejen palsu, duit dah bagi tapi tak ada kerja
ms|ah long datang rumah kawan saya ugut nak pukul
ms|ada mesej kata saya menang hadiah, kena bayar dulu
jv|calone mlayu nggowo duwitku 20 juta
jv|aku ditawani kerjo nang korea kudu mbayar disik, iki apus apus ora
jv|aku kena utang pinjol, saben dino diteror
jv|aku transfer nang wong sing ngaku polisi, jebule penipu
id|perusahaan penyalur yang saya pakai ternyata tidak terdaftar di bp2mi
id|sudah bayar medical dan pelatihan tapi jadwal terbang terus diundur tanpa kejelasan
""",
    "documents": """
id|dompet saya dicopet, paspor dan kartu izin tinggal ikut hilang
id|masa berlaku paspor saya tinggal 4 bulan, bisa diperpanjang di konsulat?
id|visa saya sudah lewat dua minggu, apakah saya akan kena denda
id|saya masuk pakai visa turis dan sekarang kerja, status saya bagaimana
id|bayi saya lahir di rumah sakit sini, surat lahirnya harus dilapor ke mana
id|majikan tidak mau memperpanjang ijin kerja saya, sekarang sudah habis
id|saya mau ikut program pemutihan untuk pekerja tanpa dokumen
id|nama di paspor salah satu huruf, bagaimana membetulkannya
id|paspor saya rusak kena air, apakah harus diganti
id|saya belum punya kartu identitas sama sekali sejak datang
id|kalau sudah overstay lama apakah bisa legal lagi
id|apa syarat membuat surat perjalanan laksana paspor
en|my passport was stolen from my bag yesterday
en|my visa runs out next week and my employer hasn't done anything
en|i entered on a tourist visa, can i change it to a work visa?
en|how do i get a birth certificate for my son born here
en|i overstayed my permit, will i be banned from coming back?
en|my residence card got damaged, how do i replace it
mixed|passport sy expired bulan depan, perpanjang bisa online?
mixed|visa sy udah over 3 months, any amnesty program?
mixed|sy undocumented, no passport no permit, what to do
mixed|baby sy lahir di hospital sini, need register birth
ms|pasport saya dah tamat tempoh, macam mana nak sambung
ms|permit saya hilang masa pindah rumah
ms|saya tak ada dokumen sah, boleh ke buat pasport baru
ms|anak saya lahir kat sini, tak ada sijil lahir lagi
jv|pasporku kecopetan nang pasar
jv|visaku wis kadaluwarsa rong minggu
jv|aku ora duwe dokumen blas, piye carane ngurus
jv|anakku lair nang kene, akte lahire ngurus nang ngendi
id|arc saya sudah mati dan agen tidak mau urus
id|saya perlu legalisir dokumen untuk menikah di luar negeri
""",
    "health": """
id|gigi saya bengkak dan nyeri, tidak bisa makan, tapi gak punya uang ke dokter gigi
id|saya keguguran minggu lalu, sekarang masih sering lemas
id|kulit tangan saya gatal2 dan mengelupas karena sabun cuci
id|saya merasa putus asa dan sering menangis sendirian di kamar
id|ada benjolan di payudara saya, harus periksa ke mana
id|saya positif hamil, apa majikan boleh memulangkan saya
id|badan saya pegal semua dan sering kesemutan
id|saya diabetes dan obat saya habis
id|kaki saya terkilir waktu jemur baju, bengkak sekali
id|majikan melarang saya minum obat dari indonesia
id|saya ingin konseling karena trauma, apakah ada yang gratis
id|demam saya naik turun sudah lima hari
en|i've had a bad cough for weeks and can't see a doctor
en|i think i might be depressed, who can i talk to
en|my employer won't give me time off to go to the hospital
en|i found a lump and i'm worried, is there a free clinic
en|i'm pregnant and don't know if i can keep working
en|my back hurts from lifting the grandfather every day
mixed|sy sakit flu berat, majikan suruh kerja terus, need medicine
mixed|my period ga teratur udah 3 bulan, should i check?
mixed|i feel anxious terus, susah tidur tiap malam
mixed|asuransi sy cover dental ga?
ms|saya sakit perut teruk, klinik kerajaan buka pukul berapa
ms|saya rasa tertekan dan sunyi sangat di sini
ms|tangan saya melecur sikit kena periuk panas
ms|majikan tak bagi saya pergi klinik walaupun demam
jv|sirahku ngelu terus, ora iso turu
jv|aku meteng, wedi ngomong karo majikan
jv|untuku lara banget, pipiku abuh
jv|aku sedih terus, pengen curhat karo wong
id|mata saya kabur setelah kerja di pabrik kimia
id|apakah vaksin gratis untuk pekerja asing di sini
""",
    "crisis": """
id|sirene serangan udara bunyi terus dari tadi pagi, wni di sini harus ke mana
id|kota ini dikepung pemberontak, listrik mati, kami masih aman di rumah
id|bandara ditutup karena perang, apakah kbri siapkan evakuasi
id|ada letusan gunung berapi dekat sini, abunya tebal
id|kerusuhan anti pendatang mulai terjadi di distrik kami
id|topan besar diperkirakan datang lusa, majikan bilang di rumah saja
id|ada kasus virus menyebar cepat di asrama pekerja, kami dikarantina
id|situasi politik di sini memanas, banyak tentara di jalan
id|gempa susulan terus terjadi, kami tidur di tenda
id|air bersih habis karena kekeringan, harga makanan naik gila
id|ada penembakan massal di mall dekat rumah majikan
id|banyak wni di daerah konflik, bagaimana cara daftar evakuasi
en|fighting has started in the capital, should indonesians leave?
en|the volcano nearby is erupting and there is ash everywhere
en|there's a cholera outbreak in our area, is the embassy giving any advice
en|all flights are cancelled because of the conflict, what happens to us
en|the government declared a state of emergency after the cyclone
en|protesters are burning cars near our neighbourhood
mixed|ada airstrike lagi semalam, any update from embassy?
mixed|curfew mulai jam 6 sore, we run out of food soon
mixed|earthquake barusan kenceng banget, semua orang keluar building
mixed|kota kami flood parah, transport semua berhenti
ms|ada perang dekat sempadan, kami risau sangat
ms|jerebu teruk, sekolah dan pejabat ditutup
ms|wabak denggi merebak di kawasan kami
ms|ribut taufan akan melanda esok, apa perlu kami buat
jv|nang kene lagi ana kerusuhan, toko toko podo tutup
jv|gunung njeblug, awune nganti nang omah
jv|banjir gedhe, dalan kabeh kebanjiran, aku isih aman
jv|ana wabah, kabeh wong ora oleh metu
id|serangan roket kemarin kena gedung dekat tempat kerja saya, kami masih selamat
id|kabarnya akan ada perang besar, apakah kami harus mengungsi sekarang
""",
    "go_home": """
id|saya sudah tidak betah, ingin dipulangkan secepatnya ke lampung
id|paspor saya ada tapi uang tiket tidak cukup, bisa dibantu pulang?
id|saya ditahan di penjara imigrasi sudah dua bulan, kapan dipulangkan
id|tante saya meninggal di kuala lumpur, keluarga ingin jenazah dibawa ke madura
id|saya kabur dari rumah majikan dan sekarang numpang di rumah teman, mau pulang
id|kontrak selesai tapi majikan tidak mau beli tiket pulang
id|saya terdampar di bandara transit, penerbangan lanjutan dibatalkan
id|teman saya dideportasi, kapan dia tiba di tanjung pinang
id|bagaimana prosedur pemulangan pekerja migran yang sakit
id|saya hamil dan ingin pulang melahirkan di kampung
id|bapak saya meninggal, saya harus pulang minggu ini
id|anak buah kapal terlantar di pelabuhan, kapal ditinggal pemiliknya
en|how can i get back to indonesia, my employer won't buy the ticket
en|i've been in immigration detention for weeks, i just want to go home
en|my aunt passed away in saudi, how do we repatriate her remains
en|we are stranded at the port after the ship owner abandoned us
en|i ran away from my employer and want to fly home
en|when will the deportation flight leave
mixed|sy mau pulang for good, gimana caranya
mixed|my cousin meninggal di taiwan, how to bring jenazah home
mixed|sy di detention center, want to go back indonesia
mixed|contract finish tapi no ticket home, help
ms|saya nak balik kampung, majikan tak nak lepaskan
ms|kawan saya dalam depot tahanan, bila dia boleh balik
ms|abang saya meninggal di sini, nak hantar mayat balik indonesia
ms|saya terkandas di lapangan terbang, tak ada duit
jv|aku pengen mulih nang kampung, wis ora betah
jv|mbakyuku seda nang hongkong, piye carane nggowo jenazah mulih
jv|aku ditahan imigrasi, kapan iso dipulangke
jv|kontrakku rampung tapi ora ono tiket mulih
id|berapa lama proses pemulangan kalau lewat kbri
id|saya sudah di shelter kbri, kapan jadwal pulangnya
""",
    "contact_mission": """
id|boleh minta nomor hotline perlindungan wni di kbri doha
id|saya tinggal di sabah, kantor konsulat terdekat ada di mana
id|hari minggu kbri buka atau tutup
id|saya mau ketemu langsung dengan staf atase ketenagakerjaan
id|kok telepon ke kjri tidak pernah diangkat, ada nomor lain
id|alamat email pengaduan konsulat jenderal di johor bahru apa
id|apakah ada layanan jemput bola kbri ke daerah saya
id|naik bus nomor berapa ke kedutaan indonesia
id|mau bikin janji temu di konsulat untuk urusan saya
id|siapa pejabat yang bisa saya hubungi di perwakilan
id|saya mau datang ke kbri, perlu bawa apa saja
id|kantor kdei taipei pindah alamat tidak
en|how do i reach the indonesian consulate in hong kong by phone
en|what time does the embassy close on friday
en|i need to talk to someone at the embassy, who do i contact
en|is there a whatsapp hotline for indonesian citizens in malaysia
en|where exactly is the consulate in jeddah
en|can i book an appointment with the embassy online
mixed|kbri riyadh alamatnya where ya
mixed|sy mau call konsulat, the number is not working
mixed|embassy open jam berapa hari ini
mixed|perlu appointment dulu ga kalau mau ke kjri
ms|macam mana nak hubungi konsulat indonesia di penang
ms|pejabat kedutaan tutup hari apa
ms|ada nombor whatsapp kedutaan tak
ms|saya nak jumpa pegawai kedutaan
jv|kbri bukak dino minggu ora
jv|nomer wa kedutaan sing iso dihubungi piro
jv|kantor konsulat sing paling cedhak nang ngendi
jv|aku pengen ketemu petugas kbri, kudu janjian disik ora
id|apakah kjri punya akun instagram resmi
id|nomor darurat perwakilan ri di seoul berapa
""",
    "money": """
id|lebih murah kirim lewat bank atau lewat agen remitansi
id|saya ingin menyisihkan sebagian gaji untuk sekolah anak, ada saran
id|kiriman uang ke suami sudah 5 hari tidak masuk, nomor resinya ada
id|bagaimana cara buka tabungan yang bisa diakses keluarga di desa
id|saya punya cicilan motor di kampung, enaknya dilunasi dulu atau ditabung
id|rate tukar dolar hongkong ke rupiah hari ini berapa
id|saya mau belajar mengatur keuangan supaya tidak habis tiap bulan
id|bolehkah pekerja migran ikut asuransi pendidikan untuk anak
id|adik minta kiriman terus, saya bingung membagi uang
id|ada program kredit usaha untuk purna pekerja migran
id|transfer saya salah rekening, bisa dibatalkan tidak
id|keluarga saya pakai uang kiriman untuk foya foya, bagaimana supaya aman
en|which remittance service has the lowest fees to indonesia
en|how much should i save each month to build a house back home
en|my transfer is stuck and the app says pending
en|can i open an indonesian bank account from abroad
en|i owe my cousin some money, how do i plan to pay it back
en|is gold a good way to save for migrant workers
mixed|kirim money ke mama pakai western union atau bank, mana lebih cheap
mixed|sy mau bikin budget plan, gaji cuma 4000 ringgit
mixed|remittance sy belum masuk, already 3 days
mixed|tips nabung buat modal business di kampung dong
ms|nak hantar wang ke indonesia, caj paling murah guna apa
ms|macam mana nak simpan duit untuk masa depan
ms|duit yang saya hantar belum sampai ke keluarga
ms|saya ada hutang dengan kawan, macam mana nak bayar sikit sikit
jv|ngirim duwit nang mbokku enak lewat opo
jv|aku pengen nabung kanggo sekolah anakku
jv|duwit sing tak kirim durung tekan
jv|piye carane ngatur bayaran ben cukup
id|saya mau buka deposito untuk masa tua, caranya bagaimana
id|kurs riyal sedang bagus, sebaiknya kirim sekarang atau tunggu
""",
    "rights_info": """
id|apakah majikan wajib memberi saya kamar sendiri menurut aturan
id|kalau saya sakit, apakah gaji boleh dipotong menurut hukum sini
id|berapa hari libur nasional yang menjadi hak pekerja domestik
id|saya ingin tahu isi perjanjian kerja sebelum tanda tangan, apa yang harus diperhatikan
id|apakah pekerja migran boleh ikut serikat pekerja
id|bolehkah majikan melarang saya pakai hp
id|apakah saya tetap dapat asuransi kalau pindah majikan
id|bagaimana ketentuan pesangon kalau diberhentikan sebelum kontrak habis
id|apakah hamil bisa jadi alasan pemutusan kontrak secara sah
id|saya butuh informasi tentang hak cuti melahirkan
id|aturan kerja di dua rumah sekaligus seperti apa
id|apa saja kewajiban agensi terhadap pekerja setelah penempatan
en|can my employer legally forbid me from having a phone
en|how many hours of rest am i entitled to each day
en|do domestic workers get public holidays off here
en|what does the law say about ending a contract early
en|can i join a workers' union as a foreigner
en|is maternity leave a right for migrant workers
mixed|apakah legal kalau boss minta kerja di office dia juga
mixed|rest day sy berapa kali sebulan menurut law
mixed|hak sy apa aja kalau contract terminated early
mixed|boleh ga kita refuse kerja di hari libur
ms|apa hak saya kalau majikan nak tamatkan kontrak awal
ms|pekerja rumah dapat cuti umum tak
ms|berapa jam kerja yang dibenarkan undang undang
ms|boleh ke majikan larang saya guna telefon
jv|aku oleh prei nek dino riyoyo ora
jv|hakku opo nek kontrak diputus majikan
jv|kudu kerjo pirang jam sedino miturut aturan
jv|oleh ora aku pindah majikan sak durunge kontrak rampung
id|apakah agensi boleh memungut biaya dari gaji saya menurut undang undang
id|saya mau tahu peraturan tentang jaminan sosial pekerja migran
""",
    "greeting": """
id|halo kak, selamat sore
id|assalamualaikum wr wb
id|pagi kak, lagi sibuk?
id|met malam min
id|oke siap kak, makasih banyak
id|salam kenal
id|hai, ini bot ya
id|halo halo
id|selamat siang bapak ibu
id|makasih ya udah dibantu
id|permisi kak numpang tanya
id|sampai jumpa
en|hey
en|good evening
en|hi, is anyone there?
en|thanks for your help
en|ok got it
en|bye
mixed|hello kak, good morning
mixed|thank you kak
mixed|hi min, apa kabar
mixed|ok noted, makasih
ms|hai, assalamualaikum
ms|terima kasih ye
ms|selamat malam semua
ms|salam sejahtera
jv|sugeng siang
jv|nuwun sewu
jv|matur suwun mbak
jv|sugeng dalu
id|p
id|tes
id|halo selamat pagi
id|met pagi
id|oke
id|terima kasih atas infonya
""",
    "other": """
id|kak tau ga tempat beli bakso di dekat central
id|lagu dangdut terbaru apa ya yang enak
id|gimana cara bikin kue nastar
id|jadwal sholat hari ini jam berapa
id|kak mau tanya, kartu sim mana yang internetnya murah
id|hp saya lemot banget, cara bersihin memori gimana
id|saya mau ikut kursus menjahit, ada info
id|tim bola mana yang menang semalam
id|kapan puasa ramadan mulai tahun depan
id|rekomendasi skincare buat kulit kering
id|ada grup pengajian untuk wni di sini
id|kapan konser artis indonesia di hongkong
en|what's a good place to buy indonesian snacks here
en|can you tell me a joke
en|how do i change the language on my phone
en|what's the weather tomorrow
en|recommend me a good movie to watch
en|where can i learn to cook chinese food
mixed|ada discount di supermarket ga hari ini
mixed|sy mau download tiktok versi lite, link nya?
mixed|best place for jalan2 on sunday?
mixed|gimana cara bikin email baru
ms|kat mana kedai jual barang indonesia
ms|resepi nasi lemak yang sedap macam mana
ms|siapa menang perlawanan bola semalam
ms|macam mana nak tukar nada dering telefon
jv|resep sambel trasi piye
jv|sesuk dino minggu aku arep dolan nang pantai
jv|lagu campursari sing anyar opo
jv|nang kene ono pasar jowo ora
id|bagaimana cara membuat akun facebook
id|kamu bisa nyanyi nggak
""",
}

# A second batch, written later by the same hand, heavier on the hard cases (tense, negation, look-alike
# intents). Still never tuned on.
HELDOUT_MORE: dict[str, str] = {
    "emergency": """
id|saya dulu pernah dipukul, tapi malam ini dia mukul lagi dan saya berdarah, tolong
id|bukan pertama kali, tapi sekarang dia bilang mau habisi saya
id|temen saya kejang2 di lantai, mulutnya berbusa
id|sy dikunciin madam di balkon dari sore, hujan, dingin, takut
en|he's outside my door with a knife right now
en|my friend says she will kill herself tonight, she sent me goodbye messages
ms|tolong cepat, kawan saya pengsan dan tak bernafas
jv|aku lagi digebuki bojoku, tulung saiki
mixed|emergency!! boss lagi cekik aku, please come
id|saya disekap di ruko, dijaga dua orang, tolong jemput
id|anak asuh saya jatuh ke kolam dan tidak bernapas
id|majikan memperkosa saya semalam, sekarang dia tidur, saya mau kabur
""",
    "abuse": """
id|saya tidak dipukul, tapi tiap hari dimarahi dan tidak diajak bicara baik
id|majikan lama saya di riyadh dulu sering menyiksa, sekarang saya sudah aman di kampung
id|madam suka menjambak kalau saya lambat, kemarin juga
en|my employer doesn't hit me but humiliates me in front of guests every day
en|last year my agent beat me in the training centre, i still have nightmares
ms|majikan selalu pukul kepala saya dengan sudu
jv|majikan wadon seneng nyiwel aku nek nesu
mixed|suami majikan sering sexual jokes dan pegang tangan sy
id|saya dikatain pelacur sama anak majikan setiap kali dia pulang
id|ipar majikan pernah mendorong saya sampai jatuh dari tangga bulan lalu
""",
    "trafficking": """
id|paspor saya tidak hilang, tapi disimpan majikan dan tidak mau dikembalikan
id|saya dikontrak jadi perawat, tapi di sini disuruh kerja di tiga rumah tanpa libur dan tidak boleh keluar
en|they brought us across the border at night and took our documents
en|i want to leave but the agency says i must first pay back 4000 dollars
ms|saya dijual oleh ejen kepada majikan baru tanpa kontrak
jv|aku dioper rono rene karo agen, ora ono kontrak
mixed|sy kerja di casino online, boss hold passport, not allowed resign
id|majikan bilang kalau saya pergi dia akan lapor saya kabur, paspor tetap dia pegang
id|saya digaji cuma untuk bayar hutang biaya terbang yang terus bertambah bunga
id|kami disuruh tinggal di kontainer dekat kebun, gerbang dijaga dan kami tidak boleh keluar
""",
    "wages": """
id|gaji saya belum dibayar, bukan mau kirim uang, tapi memang belum terima sama sekali
id|bonus dan tunjangan yang dijanjikan di kontrak tidak pernah diberikan
en|my agency takes part of my salary every month without explanation
en|i was told i would get paid weekly but i haven't seen any money in two months
ms|gaji saya dibayar lewat, selalu lambat dua tiga minggu
jv|majikan motong gajiku kanggo mbayar listrik
mixed|salary sy dibayar cash tapi selalu kurang dari contract
id|sudah kerja 7 bulan di kapal ikan tapi gaji tidak pernah dikirim ke keluarga
id|majikan berjanji naik gaji tapi sampai sekarang masih sama dan ada potongan
id|hari libur saya dipakai kerja tapi tidak ada tambahan upah
""",
    "scam": """
id|ada yang nawarin kerja di eropa dengan gaji 40 juta, cukup bayar 50 juta dulu, masuk akal ga
id|saya beli tiket pesawat online murah ternyata tiketnya palsu
en|a man claiming to be from the labour ministry says i must pay to keep my job
en|the app promised fast loans but took my deposit and disappeared
ms|saya kena tipu pelaburan online, duit semua lesap
jv|ono wong ngaku petugas bandara njaluk duwit, iki penipu ora
mixed|ada job offer di telegram, gaji gede tapi harus bayar training fee dulu
id|agen ilegal di desa memalsukan umur saya dan minta bayaran
id|kartu atm saya dipinjam teman lalu dikuras
id|bunga pinjaman rentenir di sini 30 persen sebulan, saya terjerat
""",
    "documents": """
id|paspor saya hilang waktu pindah kos, bukan ditahan majikan
id|surat izin tinggal saya belum jadi padahal sudah diajukan tiga bulan
en|i was born here to indonesian parents and never had a passport
en|my passport is full, no pages left for visas
ms|saya dah lebih tempoh tinggal di sini, macam mana nak betulkan
jv|aku pengen nggawe paspor anyar, sing lawas rusak
mixed|visa on arrival sy habis, bisa convert ke working visa?
id|saya kehilangan buku pelaut, bagaimana mengurusnya
id|akta nikah kami dari luar negeri perlu dicatatkan di mana
id|ktp saya hilang, apa bisa urus e-ktp dari luar negeri
""",
    "health": """
id|saya pernah pingsan minggu lalu, sekarang sudah baik tapi ingin cek darah
id|saya sering mimpi buruk sejak kejadian itu, ingin ke psikolog
en|i fainted once last month, it hasn't happened again but i want a check-up
en|is there a doctor who speaks indonesian nearby
ms|saya ada darah tinggi, ubat saya dah habis
jv|wetengku lara nek mangan, wis seminggu
mixed|kulit sy alergi, gatal banget, bisa dapat medicine di mana
id|saya takut hasil medical check up jelek lalu dipulangkan
id|gigi saya copot, apakah ada dokter gigi murah
id|saya butuh kacamata tapi tidak ada uang
""",
    "crisis": """
id|di sini lagi ada perang tapi kami belum apa apa, cuma mau tahu rencana kbri
id|ada kebakaran hutan jauh dari kota, kualitas udara buruk sekali
en|there are tanks in the streets and the internet is cut, we are safe inside for now
en|the outbreak is getting worse, are indonesians being evacuated?
ms|banjir kilat melanda bandar, jalan semua tenggelam
jv|ono demo gedhe nang kutho, aku ora wani metu
mixed|war situation makin parah, kami masih aman tapi worried
id|angin topan merusak banyak rumah di desa sebelah
id|bagaimana cara mendaftar untuk evakuasi kalau situasi memburuk
id|kami dengar ada serangan teroris di pusat kota
""",
    "go_home": """
id|saya ingin pulang, bukan karena masalah, cuma kangen anak dan kontrak sudah selesai
id|saya sudah bebas dari penjara dan menunggu dideportasi
en|my brother died at sea, the family wants his body sent home
en|i have no money left for a flight, can the embassy help me return
ms|saya tersadai di sini, syarikat dah tutup, nak balik
jv|kancaku ditangkep polisi, kapan dipulangke
mixed|sy mau exit dan pulang kampung, tiket siapa yang bayar
id|abk terlantar di pelabuhan tanpa makanan, ingin pulang
id|majikan mau memulangkan saya sebelum kontrak selesai, apakah boleh saya langsung pulang
id|bagaimana cara pulang kalau paspor sudah habis dan saya di tahanan
""",
    "contact_mission": """
id|bagaimana cara lapor diri ke kbri secara online
id|nomor telepon kjri hongkong yang bisa dihubungi di luar jam kerja
en|which office handles indonesians in the northern part of malaysia
en|does the consulate answer messages on facebook
ms|saya nak telefon kedutaan tapi tak ada orang angkat
jv|alamate kjri johor nang endi
mixed|sy mau report ke embassy, pakai email atau datang langsung
id|kbri buka pelayanan paspor hari apa saja
id|di mana posko pengaduan wni terdekat
id|saya mau bicara dengan atase tenaga kerja
""",
    "money": """
id|mau kirim uang ke kampung, bukan masalah gaji, cuma tanya cara paling murah
id|saya punya hutang kartu kredit, bagaimana cara melunasinya pelan pelan
en|should i send money every month or save it here
en|how do i teach my family to use the money i send wisely
ms|boleh ke saya buka akaun bank tanpa permit
jv|kurs dolar taiwan saiki piro
mixed|sy mau invest di emas, is it safe?
id|berapa persen gaji sebaiknya ditabung
id|kiriman uang tertahan di bank karena nama penerima beda
id|koperasi di desa menawarkan tabungan, amankah
""",
    "rights_info": """
id|apakah majikan boleh memotong gaji untuk makan menurut aturan
id|kalau saya tidak suka dengan majikan, bisa minta pindah tidak
en|do i have the right to keep my own passport
en|is my employer required to give me health insurance
ms|adakah pekerja asing berhak dapat cuti sakit
jv|aku oleh ngeluh nang ngendi nek hakku dilanggar
mixed|apakah legal kalau madam ga kasih day off sama sekali
id|apakah saya berhak mendapat tiket pulang dari majikan di akhir kontrak
id|perlindungan hukum apa yang dimiliki pekerja rumah tangga
id|berapa lama masa percobaan kerja menurut aturan
""",
    "greeting": """
id|selamat malam kak, semoga sehat selalu
id|assalamualaikum admin
en|good afternoon
en|thank you, have a nice day
ms|hai kak
jv|nuwun
mixed|morning kak
id|salam
id|hai kak apa kabar
id|makasih kak
""",
    "other": """
id|dimana beli tiket pesawat promo buat liburan ke bali
id|ada yang jual kerupuk dan sambal bajakah di sini
en|how many calories are in a banana
en|what's the capital of australia
ms|boleh cadangkan filem melayu yang best
jv|aku pengen sinau nyetir mobil
mixed|kak ada info bazaar indonesia weekend ini
id|bagaimana cara main catur
id|lagu kpop apa yang lagi trending
id|saya bosan, ada saran kegiatan di hari libur
""",
}

# Third batch (voice C: run-on voice-note style, fewer capitals, more regional words). Written after
# the model and the safety net were frozen and evaluated ONCE, so it is the blind part of the held-out
# set; docs/benchmarks-nlu.md reports it separately.
HELDOUT_BLIND: dict[str, str] = {
    "emergency": """
id|mbak aku lg dipukulin pake sapu sm nyonya skrg aku lari ke kamar mandi tolongin
id|saya udah ga sanggup hidup pengen nyusul almarhum bapak aja malam ini
id|tlg ada laki2 masuk kamar sy dan megang2 sy paksa skrg sy teriak gak ada yg denger
id|majikan ngunci pintu dari luar udah 3 hari sy cuma minum air keran
id|kawan sekerja saya muntah darah dan pingsan di kilang tolong hantar ambulans
id|tuan rumah bilang kalau saya lapor dia akan bunuh keluarga saya dan dia pegang pistol
en|i'm bleeding from my head after she hit me with a pan please send help now
en|i swallowed a whole bottle of pills, i just wanted someone to know
ms|tolong saya dikurung dalam stor belakang rumah, gelap, tak boleh keluar
ms|majikan lelaki cuba rogol saya tadi, sekarang saya kunci diri dalam bilik air
jv|tulung mbak aku diancam arep dipateni karo bojone majikan, dheweke nyekel pisau
jv|kancaku tiba tiba ambruk ora obah, ora ambegan
mixed|landslide hit our dorm, two people stuck under the mud, tolong kirim bantuan
mixed|sy lagi di atap, banjir naik terus, phone battery tinggal sedikit, please
id|anak saya demam tinggi terus kejang kejang, saya sendirian di kontrakan
""",
    "abuse": """
id|nyonya tiap hari ngatain sy anjing dan ngelempar piring kalo masakan ga enak
id|bulan kemarin sy dipukul pake gagang sapu sama majikan, skrg udah pindah ke shelter
id|suami saya di rumah selalu nampar kalau saya telat kirim duit
id|majikan lelaki suka bisik2 omongan kotor ke saya kalau istrinya keluar
en|my lady boss slaps me whenever the baby cries, it happens a few times a week
en|my employer screams at me and calls me useless in front of her friends
ms|majikan selalu cubit lengan saya sampai lebam
ms|dulu saya pernah kena pukul dengan ejen masa di pusat latihan
jv|nyonyaku saben dino nesu nesu lan ngunek unekke aku
jv|bojoku seneng nggebuki aku nek kalah judi
mixed|madam always pukul kepala sy pake sendok kalau sy lupa, sy capek
mixed|anak majikan sering kick sy waktu main, madam diam saja
id|sy dikasih makan sisa dan dimarahi terus kalau minta makan lebih
id|saya pernah disiram air dingin jam 3 pagi sebagai hukuman, itu minggu lalu
id|pacar saya sesama pekerja sering mukul kalau cemburu, saya takut tapi sekarang dia tidak di sini
""",
    "trafficking": """
id|paspor sm visa sy dipegang agensi katanya buat jaminan biar sy ga kabur
id|sy dibawa temen katanya kerja di toko ternyata disuruh nemenin tamu minum di bar dan ga boleh pulang
id|kami disuruh kerja di kapal 20 jam sehari, kalau minta pulang kapten bilang harus bayar utang
id|saya sudah 3 kali dipindahkan agen ke majikan berbeda, tidak pernah tanda tangan kontrak
en|they told me i'd be a nanny but now i clean five houses and i'm not allowed to leave the compound
en|our boss took our passports and says we owe him for the flight, we work for free until it's paid
ms|saya dijanjikan kerja hotel tapi sekarang kena kerja di ladang, pasport dirampas
ms|ejen kata saya kena bayar balik hutang tiket dan tak boleh berhenti kerja
jv|aku diapusi kerjo nang kamboja, saiki dikon ngapusi wong lewat hp, ora oleh metu
jv|paspor ku digowo majikan, aku ora oleh lunga nang ngendi ngendi
mixed|sy di compound scam di myanmar, passport diambil, kalau ga capai target dipukul
mixed|agency bilang sy punya utang 70 juta, gaji sy dipotong full sampai lunas
id|saya disuruh kerja di rumah adik majikan juga tanpa gaji tambahan dan tidak boleh menolak
id|hp dan paspor disimpan majikan, saya cuma boleh keluar kalau ditemani
id|kami dijual ke bos baru di perbatasan, semua dokumen ditahan
""",
    "wages": """
id|mbak gaji sy udh 6 bulan ga dibayar majikan alesannya nanti aja pas finish kontrak
id|sy dijanjiin gaji 7 juta tapi yg dikasih cuma 4 juta tiap bulan
id|kerja lembur tiap malam ga pernah dihitung sama sekali
id|gaji terakhir sama uang cuti sy belum dikasih padahal sy udah pulang
en|my employer keeps half of my salary and says she will give it when i finish
en|i have not been paid for the last three months at the restaurant
ms|gaji saya kena potong sebab majikan kata saya rosakkan mesin basuh
ms|dah empat bulan saya tak terima gaji langsung
jv|bayaranku mung separo saka sing dijanjekke
jv|gajiku telung sasi durung metu, majikan alasan durung ono duwit
mixed|salary bulan ini belum masuk, madam bilang tunggu bonus suami dia
mixed|overtime sy ga dibayar, padahal contract bilang dibayar
id|upah harian saya dipotong untuk biaya transport yang tidak jelas
id|perusahaan menahan gaji kami semua karena katanya rugi
id|sudah selesai kontrak tapi majikan tidak melunasi sisa gaji 3 bulan
""",
    "scam": """
id|ada yg nawarin kerja di taiwan lewat fb katanya ga perlu pelatihan asal bayar 30 jt dulu bener ga
id|uang sy 15 juta dibawa kabur sponsor, sampai sekarang ga diberangkatkan
id|ada yg telpon ngaku dari bank bilang rekening sy diblokir suruh kasih kode otp
id|aplikasi pinjaman online nyebarin foto sy ke semua kontak karena telat bayar
en|a woman on instagram said she could get me a job in australia for a fee, is this legit
en|i paid an agent to renew my visa but he disappeared with my money
ms|ejen minta bayaran lebih untuk permit, rupanya permit palsu
ms|ada orang ajak saya labur duit, janji untung besar, sekarang tak boleh hubungi dia
jv|aku kena tipu arisan online, duwitku 5 juta ilang
jv|ono calo njaluk duwit 20 juta jarene iso langsung budhal nang jepang
mixed|sy dapat msg menang lottery, disuruh transfer tax dulu, scam kan?
mixed|ada job offer di dubai via telegram, minta visa fee ke rekening pribadi
id|lpk minta biaya tambahan terus tapi jadwal berangkat tidak jelas
id|rentenir di sini kasih bunga 20 persen seminggu, hutang saya tidak habis habis
id|pt penyalur yang merekrut saya ternyata tidak punya izin
""",
    "documents": """
id|paspor sy ketinggalan di taksi dan ga ketemu lagi gimana bikin baru
id|visa sy abis minggu depan majikan blm urus perpanjangan
id|sy udah overstay hampir setahun, takut ditangkap, bisa diurus ga
id|anak sy lahir di rumah sakit sini blm punya akte
en|my passport expires in two months, can i renew it at the consulate
en|i lost my residence card and my passport is with me, what do i do
ms|pasport saya rosak kena air, boleh ke tukar baru
ms|saya tak ada permit, masuk ikut jalan tikus dulu
jv|paspor ku ilang nang bis, kudu ngurus nang ngendi
jv|visaku entek, majikan ora gelem ngurus
mixed|sy undocumented udh 2 tahun, ada amnesty program ga
mixed|passport sy masa berlaku tinggal sedikit, renew di kbri bisa?
id|ktp dan kk hilang, apakah bisa urus dari sini
id|nama saya di paspor beda dengan di ijazah, perlu dibetulkan
id|saya perlu surat keterangan untuk menikah dengan warga sini
""",
    "health": """
id|sy sering sesak kalau capek tapi skrg baik2 aja, pengen periksa paru2
id|perut sy sering sakit tiap abis makan, obat apa ya
id|sy hamil 5 bulan blm pernah periksa, klinik yg murah dimana
id|sy ngerasa sedih terus dan gak semangat kerja, butuh teman cerita
en|my wrist hurts from washing clothes by hand every day
en|where can i get a free flu vaccine
ms|saya selalu pening dan mual, perlu jumpa doktor
ms|gigi saya sakit teruk sudah seminggu
jv|awakku gatel gatel kabeh, kudu tuku obat opo
jv|aku susah turu saben bengi, pikiranku mumet
mixed|sy ada diabetes, obat habis, pharmacy yg jual dimana
mixed|majikan ga kasih off buat medical check up, padahal sy ga enak badan
id|benjolan di leher saya makin besar, takut periksa
id|saya tidak bisa tidur sejak kejadian itu, sering mimpi buruk
id|apakah asuransi kerja saya menanggung biaya operasi
""",
    "crisis": """
id|di sini lagi perang mbak, bunyi tembakan tiap malam, kami masih aman di basement
id|gempa tadi kenceng banget, semua orang tidur di luar, kami ga apa apa
id|kerusuhan makin parah, toko2 dijarah, kami ga berani keluar
id|ada wabah di asrama pabrik, banyak yg sakit, kami dikarantina
en|the rebels took the airport, are there any plans to evacuate indonesians
en|a typhoon warning has been issued for tomorrow, what should migrant workers do
ms|keadaan di bandar tak selamat, banyak tentera dan sekatan jalan
ms|banjir besar, semua jalan ke kampung ni terputus
jv|nang kene lagi ono perang, kabeh toko tutup, aku wedi
jv|gunung meletus, awune nganti nutupi dalan
mixed|situation makin panas, there's curfew, kami stuck di rumah tapi aman
mixed|ada outbreak covid baru di asrama, any info from embassy?
id|kabut asap tebal sekali, banyak yang sakit pernapasan di kota ini
id|apakah kbri sudah buka pendaftaran evakuasi untuk wni di daerah konflik
id|badai semalam merusak atap asrama kami, tapi semua selamat
""",
    "go_home": """
id|mbak sy pengen pulang aja, kontrak udh selesai tp majikan gak mau beliin tiket
id|sy udah 3 minggu di detensi imigrasi kapan dipulangin
id|bapak sy meninggal di malaysia, keluarga pengen jenazahnya dibawa pulang ke lombok
id|sy kabur dari majikan, skrg numpang di masjid, pengen pulang ke indonesia
en|i'm stuck at the airport, my flight home was cancelled and i have no money
en|how long does deportation take after the court case
ms|saya nak balik kampung sebab mak sakit, majikan tak bagi
ms|kawan saya meninggal di hospital, keluarga nak bawa balik jenazah
jv|aku pengen mulih, wis ora kuat kerjo nang kene
jv|bojoku ditahan imigrasi, kapan dipulangke nang jowo
mixed|sy mau pulang for good, gimana proses exit nya
mixed|abk stuck di port, kapal abandoned, want to go home
id|saya di shelter kbri sudah sebulan, kapan jadwal kepulangan
id|bagaimana caranya pulang kalau paspor masih ditahan polisi karena kasus
id|suami saya dideportasi, dia tiba di bandara mana
""",
    "contact_mission": """
id|mbak minta no telp kbri kl yg bisa dihubungi malam
id|alamat kjri di johor dimana ya, naik bis apa
id|kbri buka hari sabtu ga
id|sy mau ketemu petugas perlindungan wni, harus bikin janji dulu?
en|how do i get to the indonesian embassy from the central station
en|what's the email address of the consulate in hong kong
ms|nombor kedutaan indonesia yang boleh dihubungi waktu cuti umum
ms|pejabat konsulat paling dekat dengan penang di mana
jv|alamate kjri hongkong nang ngendi
jv|nomer telpon kbri sing iso ditelpon bengi piro
mixed|sy mau contact kbri via whatsapp, ada number nya?
mixed|embassy buka jam berapa on friday
id|ada nomor hotline pengaduan tki di kbri abu dhabi
id|saya mau kirim surat ke kbri, alamat posnya apa
id|apakah kbri punya pelayanan keliling ke kota kami
""",
    "money": """
id|mbak cara kirim duit ke kampung yg paling murah apa ya
id|sy mau nabung buat bangun rumah, enaknya di bank mana
id|uang yg sy kirim kemarin blm masuk rekening ibu
id|kurs dolar hk hari ini berapa
en|what's the best way to save for my kids' education
en|how much does it cost to send 500 dollars to indonesia
ms|saya nak hantar duit ke adik, guna apa yang caj rendah
ms|macam mana nak simpan duit sikit sikit tiap bulan
jv|aku pengen ngirim duwit nang mbokku nang desa, lewat opo
jv|piye carane nabung ben iso gawe usaha
mixed|transfer money lewat app vs bank mana yg lebih cheap
mixed|sy mau bikin budget bulanan, any tips
id|saya punya cicilan di kampung, bagaimana mengatur gaji supaya cukup
id|adakah tabungan emas yang aman untuk pekerja migran
id|kiriman uang saya salah nama penerima, bagaimana membatalkan
""",
    "rights_info": """
id|mbak sy berhak libur seminggu sekali ga sih
id|kalau sy sakit boleh ga gaji sy dipotong
id|majikan boleh ga nyuruh sy kerja di toko dia juga
id|apa hak sy kalau majikan mau mutus kontrak tiba2
en|am i allowed to keep my own passport under the law here
en|how many rest hours should i get every day
ms|pekerja rumah berhak dapat cuti tahunan tak
ms|boleh ke majikan tak bagi saya keluar hari cuti
jv|aku oleh prei ora nek riyoyo
jv|hakku opo nek majikan ngethok kontrak
mixed|apakah legal kalau madam ga kasih day off sama sekali
mixed|rights sy apa kalau kena accident waktu kerja
id|apakah saya boleh pindah majikan sebelum kontrak selesai
id|bagaimana aturan jam kerja untuk pekerja rumah tangga di sini
id|apa saja kewajiban majikan terhadap asuransi saya
""",
    "greeting": """
id|hai mbak
id|selamat pagi kakak
id|assalamualaikum mbak
id|ok mbak makasih ya
id|halo permisi
en|hi good morning
en|hello, thank you
ms|selamat pagi, apa khabar
ms|terima kasih banyak cik
jv|sugeng enjing mbak
jv|matur nuwun nggih
mixed|hi mbak, good evening
mixed|thank you mbak
id|pagi mbak
id|malam
""",
    "other": """
id|mbak tau ga toko yg jual tempe di sini
id|cara bikin martabak manis gimana ya
id|lagi bosen nih ada rekomendasi lagu
id|kapan libur imlek tahun ini
en|how do i make my phone battery last longer
en|what's a good app to learn english
ms|kat mana boleh beli kain batik
ms|ada tak tempat main bowling yang murah
jv|resep brongkos piye
jv|sesuk aku pengen dolan nang mall
mixed|ada yg tau cara download lagu offline?
mixed|weekend ini ada event indonesia ga
id|gimana cara jadi youtuber
id|sim card yg paling murah buat telpon indonesia apa
id|bagaimana cara merawat tanaman hias
""",
}
