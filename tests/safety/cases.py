"""Examples for every rule in community/safety/data/lexicon.toml.

RULE_CASES[rule id] = (positives, negatives): each positive must be flagged by that rule (its id in
the assessment's matches) at the level its category implies; each negative must not be flagged by
that rule. Written by hand to exercise the general pattern behind each rule (varied wording,
slang, misspellings), not copied from any evaluation set.
"""

RULE_CASES: dict[str, tuple[list[str], list[str]]] = {
    # --- ideation ---------------------------------------------------------------------------------
    "ideation.kill_self": (
        ["I want to kill myself", "honestly thinking of killing myself tonight", "gonna kms",
         "i should just unalive myself", "might off myself idk", "some days I just want to top myself",
         "i keep thinking about ending myself", "i could just do myself in"],
        ["I would never kill myself", "this commute is killing me", "I'm killing it at work lately",
         "I died on level 3 and had to kill myself to respawn in the game", "my friend wants to kill herself"],
    ),
    "ideation.suicide": (
        ["I've been thinking about suicide a lot", "im so suicidal right now", "feeling really suicidal again",
         "I keep having suicidal thoughts", "suicide seems like the only way out", "I want to commit suicide",
         "considering sucide", "been suicidal all week", "sewerslide is looking better every day"],
        ["I'm going to the suicide prevention walk on Sunday", "Suicide Squad was a terrible movie",
         "my uncle died by suicide last year", "if you feel suicidal please call 988", "I'm not suicidal, just tired",
         "Suicidal thoughts are a common symptom of depression"],
    ),
    "ideation.want_to_die": (
        ["I just want to die", "i wanna dye", "I really want to be dead", "i don't want to live anymore",
         "feel like dying today", "i should just die", "ready to die honestly",
         "i no longer want to be alive"],
        ["I want to dye my hair blue", "I'm dying to see that movie", "I could die of embarrassment",
         "I don't want to die", "I'd rather die than sing karaoke lol"],
    ),
    "ideation.end_life": (
        ["I want to end my life", "thinking about taking my own life", "I'm going to end it all",
         "I just want to end my suffering", "ending it for good is all I think about"],
        ["I'm taking my life back one day at a time", "I need to end my lease early",
         "I would never end my life"],
    ),
    "ideation.end_it": (
        ["I just want to end it", "I keep thinking about ending it"],
        ["I want to end it with him, he's been awful", "thinking about ending things with my girlfriend"],
    ),
    "ideation.better_off_without_me": (
        ["everyone would be better off without me", "my family would be happier without me",
         "they'd all be better off if I was gone", "honestly I'm better off dead"],
        ["we'd be better off without the old couch", "you're better off without him"],
    ),
    "ideation.catch_the_bus": (
        ["I'm ready to catch the bus for good", "thinking of catching the bus, ctb is all I want"],
        ["I need to catch the bus to work at 8", "I'll take the bus downtown and meet you there"],
    ),
    "ideation.unalive_word": (
        ["i just wanna unalive", "self delete time honestly", "thinking about selfdelete"],
        ["I would never self delete"],
    ),
    "ideation.try_again": (
        ["I survived the overdose but I'm going to try again", "I want to do it again, dying is all I think of"],
        ["I want to try again at the pottery class", "I failed my driving test, going to try again"],
    ),
    # --- intent -----------------------------------------------------------------------------------
    "intent.going_to": (
        ["I'm going to kill myself", "imma end it all", "I will end my life this weekend",
         "I'm finally going to commit suicide", "im about to kms"],
        ["I'm not going to kill myself", "I'm going to kill it at the interview"],
    ),
    "intent.ending_it_now": (
        ["I can't do this anymore, tonight I'm ending it", "I'm ending it all", "tonight's the night",
         "im ending it tomorrow", "pretty sure I'm going to end it tonight"],
        ["I'm ending it with my boyfriend tonight", "tonight I'm ending my shift early"],
    ),
    "intent.do_it": (
        ["I want to die. I'm going to do it tonight", "I've made up my mind, I'm going to end my life"],
        ["I'm going to do it tonight, the assignment is due tomorrow", "I've decided to adopt a cat"],
    ),
    "intent.attempt": (
        ["I tried to kill myself last night", "I attempted suicide yesterday",
         "I almost killed myself this morning"],
        ["Years ago I tried to end my life, but now I'm doing really well",
         "I attempted suicide when I was 16, therapy helped and I'm in a good place now"],
    ),
    # --- plan -------------------------------------------------------------------------------------
    "plan.have_plan": (
        ["I have a plan to end my life", "I know how I'm going to do it, I just want to die",
         "I've picked the date. I'm going to kill myself", "I've got a whole plan, I'm done, I want to die"],
        ["I have a plan for the weekend: hiking and pizza", "We picked a date for the wedding!"],
    ),
    "plan.note": (
        ["I wrote my suicide note", "I've started on my goodbye letters", "recorded goodbye videos for my sisters"],
        ["the suicide note in that movie was heartbreaking", "we're writing goodbye messages in Sam's leaving card"],
    ),
    "plan.letters": (
        ["I want to die. I wrote letters to my family"],
        ["I wrote a letter to my grandma today, she loves mail"],
    ),
    # --- means ------------------------------------------------------------------------------------
    "means.pills": (
        ["I've been saving up my pills", "how many tylenol would it take to not wake up",
         "what's the lethal dose of my meds", "I'm going to overdose", "I have enough pills to do it",
         "thinking about overdosing on my sleeping pills"],
        ["I picked up my meds from the pharmacy", "I overdosed on caffeine this morning lol",
         "how much would it take to fix my car"],
    ),
    "means.pill_emoji": (
        ["💊💊💊 tonight", "taking all of them 💊"],
        ["remember your meds 💊 everyone!"],
    ),
    "means.hanging": (
        ["I tied a noose", "I want to hang myself", "i keep thinking about the rope around my neck"],
        ["I hung out by myself all weekend", "hang in there, friend!", "we need to rope in more volunteers"],
    ),
    "means.rope_bought": (
        ["I bought a rope. I want to die"],
        ["I bought a rope for rock climbing"],
    ),
    "means.knot_emoji": (
        ["🪢", "done with everything 🪢"],
        ["learning a new sailing knot today 🪢"],
    ),
    "means.gun": (
        ["I want to shoot myself", "I keep thinking about putting a gun to my head"],
        ["I really shot myself in the foot with that email"],
    ),
    "means.gun_access": (
        ["I know where my dad keeps his gun and I want to die", "I bought a gun, I'm going to kill myself"],
        ["I bought a gun for hunting season"],
    ),
    "means.jump": (
        ["I want to jump off a bridge", "thinking about jumping off the roof of my building",
         "I could just step in front of a train"],
        ["we jumped off the dock into the lake, so fun", "I have to jump off the train at the next stop"],
    ),
    "means.wrists": (
        ["I want to slit my wrists", "thinking of cutting my wrists"],
        ["I cut my wrist on a broken glass while washing up, accident"],
    ),
    "means.other_methods": (
        ["I want to drown myself", "I ordered sodium nitrite", "I'm going to drink bleach"],
        ["I drown myself in work when I'm stressed", "our carbon monoxide detector keeps beeping"],
    ),
    "means.method_research": (
        ["what's the most painless way to die", "how to kill myself without pain, I want to die",
         "easiest way to end it all"],
        ["best way to get to the airport?", "what's the tallest building in Atlanta?"],
    ),
    # --- self_harm ------------------------------------------------------------------------------
    "self_harm.cut": (
        ["I cut myself again last night", "I want to cut so bad", "I've been cutting my thighs",
         "i started cutting again"],
        ["I cut myself while chopping onions", "I cut the onions for the soup", "I cut myself off from toxic people",
         "I used to cut myself years ago but I've been clean for 5 years"],
    ),
    "self_harm.burn": (
        ["I've been burning myself with a lighter", "i burned my arms on purpose"],
        ["I burned myself on the stove making dinner", "I burned myself out at work"],
    ),
    "self_harm.hurt": (
        ["I want to hurt myself", "I keep punishing myself by hitting myself", "I've been hurting myself again"],
        ["I hurt myself at the gym lifting", "I didn't hurt myself, I'm okay"],
    ),
    "self_harm.sh": (
        ["I self harm when it gets bad", "I relapsed on sh",
         "my cuts are fresh and deep"],
        ["Self harm awareness day is in March", "I haven't self harmed in two years and I'm doing well"],
    ),
    "self_harm.urge": (
        ["the urge to self harm is so strong tonight", "sh urges are bad today", "I'm so tempted to cut"],
        ["I have an urge to cut my hair short", "I want to cut the cake now"],
    ),
    "self_harm.relapse": (
        ["I relapsed last night, 40 days clean and I cut again", "broke my streak, cut again"],
        ["I relapsed on drinking this weekend", "I relapsed with vaping again"],
    ),
    "self_harm.emoji_blades": (
        ["🔪🩸 again tonight", "I grabbed a razor to cut myself"],
        ["chopping onions 🔪", "new razor for shaving my legs"],
    ),
    # --- in_progress ------------------------------------------------------------------------------
    "in_progress.took_pills": (
        ["I took all my pills", "I already swallowed them", "I just took 30 tablets", "I overdosed",
         "I've taken a handful of my sleeping pills"],
        ["I took all my pills this morning like the doctor said", "I took 2 ibuprofen for my headache"],
    ),
    "in_progress.pills_vague": (
        ["I want to die. I already took them", "the pills are kicking in, goodbye forever"],
        ["the pills are kicking in, finally some sleep", "already took them, thanks for the reminder"],
    ),
    "in_progress.bleeding": (
        ["I cut too deep and can't stop the bleeding", "I'm bleeding a lot after cutting"],
        ["my nose is bleeding a lot, ugh dry air"],
    ),
    "in_progress.at_the_edge": (
        ["I'm standing on the bridge now, I want to die", "I'm up on the roof and I'm not coming down"],
        ["I'm on the roof fixing the gutter"],
    ),
    "in_progress.on_the_edge": (
        ["I'm standing on the ledge of the parking garage", "sitting on the wrong side of the railing right now"],
        ["we sat on the edge of the pool all afternoon"],
    ),
    "in_progress.rope_ready": (
        ["the noose is ready", "the rope's already tied up in the garage"],
        ["the rope swing is ready at the lake"],
    ),
    "in_progress.blade_at_skin": (
        ["the razor is pressed against my wrist", "there's a gun to my head right now", "lying in the bath with a razor"],
        ["I held the knife to the bread and cut it"],
    ),
    # --- goodbye ----------------------------------------------------------------------------------
    "goodbye.last_message": (
        ["This is my last message.", "this will be the last time you'll hear from me",
         "by the time you read this I'll be gone"],
        ["this is my last message before my holiday, see you in two weeks"],
    ),
    "goodbye.wont_be_here": (
        ["I won't be here tomorrow", "I'll be gone by morning", "goodbye forever everyone",
         "I just wanted to say goodbye"],
        ["I won't be here tomorrow, I have a dentist appointment", "I won't be around this weekend, family visit"],
    ),
    "goodbye.giving_away": (
        ["I'm giving my things away, I won't need them anymore", "giving away my cat, after I'm gone she needs a home"],
        ["I'm giving away my old clothes, anyone want them?"],
    ),
    "goodbye.farewell": (
        ["goodbye everyone, thank you for everything", "bye all. I love you all"],
        ["goodbye everyone, see you next week!", "bye guys, thanks for everything, going on vacation"],
    ),
    "goodbye.final_words": (
        ["I'm sorry for everything. I love you all. I want to die", "thank you all for everything, I won't be here much longer"],
        ["thank you all for everything, this group has helped so much"],
    ),
    # --- hopelessness -----------------------------------------------------------------------------
    "hopelessness.no_point": (
        ["there's no point in living", "what's the point of anything anymore", "I have nothing to live for",
         "life isn't worth living"],
        ["there's no point in arguing about pizza toppings"],
    ),
    "hopelessness.never_better": (
        ["nothing will ever get better", "I feel so hopeless", "I've lost all hope", "there's no way out"],
        ["I'm hopeless at cooking lol", "it will get better, hang in there"],
    ),
    "hopelessness.cant_go_on": (
        ["I can't do this anymore", "I can't go on like this", "I'm done with life", "I give up on everything"],
        ["I can't go on the trip this weekend", "I can't do this puzzle, help"],
    ),
    # --- burden -----------------------------------------------------------------------------------
    "burden.burden": (
        ["I'm such a burden to everyone", "I feel like a burden", "nobody would miss me", "I ruin everything",
         "I'm worthless"],
        ["you are not a burden", "I'm not a burden, I know that now"],
    ),
    # --- passive_wish -----------------------------------------------------------------------------
    "passive_wish.wish_dead": (
        ["I wish I was dead", "I hope I don't wake up tomorrow", "I want it all to end", "I wish I could just disappear",
         "sometimes I wish a bus would hit me", "I don't want to exist", "I'm tired of being alive",
         "I wish I'd never been born", "some part of me hopes the scan shows something terminal"],
        ["I don't want to wake up early tomorrow", "I wish I had more time for hobbies"],
    ),
    "passive_wish.disappear": (
        ["I just want to disappear", "I want to sleep forever", "I don't want to be here anymore"],
        ["I want to disappear for a week on vacation", "I want to disappear to a cabin for the weekend"],
    ),
    # --- denial_with_thoughts ---------------------------------------------------------------------
    "denial_with_thoughts.thoughts_and_denial": (
        ["I have the thoughts but I won't act on them", "the suicidal thoughts are back but I'm safe",
         "I think about it but I would never do it"],
        ["I have thoughts about the movie, but I won't say more"],
    ),
    "denial_with_thoughts.passive_ideation": (
        ["I've been having passive suicidal ideation", "intrusive suicidal thoughts again"],
        ["passive income ideas anyone?"],
    ),
    # --- third_party ------------------------------------------------------------------------------
    "third_party.kill_self": (
        ["my friend wants to kill herself", "my brother keeps talking about suicide",
         "she said she wants to die", "my son tried to kill himself"],
        ["my uncle killed himself years ago", "in the show the character kills himself"],
    ),
    "third_party.suicidal": (
        ["my friend is suicidal", "I think my sister is really suicidal", "how do I help someone who is suicidal"],
        ["I'm suicidal", "the character in the book is suicidal"],
    ),
    "third_party.self_harm": (
        ["my daughter is cutting herself", "my friend self harms"],
        ["she cut herself on the glass by accident"],
    ),
    "third_party.worried": (
        ["I'm worried about my friend, she stopped eating and talks about not wanting to be here",
         "I'm scared for my brother, he's been giving away his stuff and he seems hopeless"],
        ["I'm worried about my exam tomorrow"],
    ),
    # --- harassment -------------------------------------------------------------------------------
    "harassment.kill_yourself": (
        ["kill yourself", "kys loser", "just go unalive yourself"],
        ["please don't kill yourself, we care about you", "don't kill yourself working so hard",
         "someone told me to kill yourself and I reported it"],
    ),
    "harassment.go_die": (
        ["go die", "nobody would miss you", "do us all a favor and disappear", "I hope you die"],
        ["go dye your hair purple!", "we'd miss you if you left the group"],
    ),

    # --- added after the first benchmark run: general constructions it showed were missing ------------
    "ideation.preoccupied": (
        ["killing myself is all I can think about", "suicide has been on my mind nonstop", "all I think about is dying",
         "I think about ending my life every single day"],
        ["the documentary about suicide prevention has been on my mind, so well made"],
    ),
    "ideation.what_if": (
        ["what if I just ended it all", "what if i actually killed myself tonight"],
        ["what if I just ended the call early?"],
    ),
    "ideation.inner_voice": (
        ["my head keeps telling me to kill myself", "the voices are telling me to end it"],
        ["my brain keeps telling me to buy more plants"],
    ),
    "ideation.jumping_thoughts": (
        ["standing at the edge of the cliff I kept thinking about jumping", "at the station I thought about stepping in front of the train"],
        ["thinking about jumping into the pool, it's so hot"],
    ),
    "ideation.check_out": (
        ["I'm ready to check out permanently", "I just want to leave this world"],
        ["we check out of the hotel at 11"],
    ),
    "intent.suicide_soon": (
        ["sewerslide tonight", "overdose this weekend, it's decided", "I don't plan on waking up tomorrow"],
        ["suicide prevention training tonight at 7"],
    ),
    "intent.not_going_on": (
        ["I'm not going to make it through the night", "I'm not coming back from the lake alive"],
        ["I'm not going to make it to the meetup, sorry"],
    ),
    "intent.going_to_stop": (
        ["I'm tired of living. I'm going to stop.", "I want to die. I'm just going to stop for good"],
        ["I'm tired of living paycheck to paycheck, I'm going to stop eating out"],
    ),
    "plan.last_day": (
        ["I've picked Sunday to be my last day", "tomorrow will be my last day on earth"],
        ["tomorrow is my last day at this job!"],
    ),
    "plan.exit_plan": (
        ["the pills and the vodka are my exit plan", "rope in the closet, that's my way out"],
        ["my exit plan from this job is grad school"],
    ),
    "plan.sitting_with_means": (
        ["sitting here staring at the pills deciding when", "I sat with the gun in my lap for an hour tonight"],
        ["sitting with my meds organizer deciding which days I forgot"],
    ),
    "means.jump_bare": (
        ["the bridge is right there. I'm going to jump", "I want to jump, the roof is open"],
        ["I want to jump in the lake, it's so hot, the bridge over it is pretty"],
    ),
    "means.fall_research": (
        ["how far do you have to fall for it to be fatal", "how high does a building need to be to kill you"],
        ["how high is the climbing wall, is a fall fatal? asking for the safety course"],
    ),
    "means.method_emoji": (
        ["🌉 tonight. goodbye", "⚰️ soon, I'm done"],
        ["the Golden Gate 🌉 at sunset is gorgeous"],
    ),
    "goodbye.where_im_going": (
        ["you can have my books, I won't need them where I'm going"],
        ["I won't need my winter coat where I'm going, Florida trip here I come"],
    ),
    "goodbye.affairs_in_order": (
        ["I've put my affairs in order", "mods, please delete my account after tonight"],
        ["getting my affairs in order before my surgery next week", "the wifi passwords are in the drawer"],
    ),
    "goodbye.pets_and_people": (
        ["please look after my dog when I'm gone", "can someone take care of my cats, I want to die"],
        ["can someone feed my cat while I'm on vacation?"],
    ),
    "hopelessness.nothing_changes": (
        ["nothing is ever going to change for me", "life feels completely pointless", "I can't see any future for me",
         "I don't think there's any way out of this", "I don't think I'm fixable",
         "why do I even bother getting out of bed", "I'm a lost cause", "nothing matters anymore"],
        ["I'm hopeless at sports lol", "nothing beats a good sandwich"],
    ),
    "burden.too_much": (
        ["I'm just dead weight", "everyone gets tired of me eventually", "sorry for existing",
         "my kids deserve a better mom than me", "you all only put up with me out of pity"],
        ["I'm tired of dealing with this printer"],
    ),
    "passive_wish.wouldnt_mind": (
        ["if a truck hit me I wouldn't mind", "if I got sick and didn't recover I'd be kind of relieved"],
        ["if it rains I wouldn't mind staying in"],
    ),
    "third_party.warning_signs": (
        ["my brother has been giving away his things and saying weird goodbyes", "my friend has pills saved up",
         "my daughter has cuts on her arms", "my 16 year old son has scars all over his thighs",
         "my mom sent me what sounded like a goodbye text"],
        ["my brother is giving away his old bike, anyone want it?"],
    ),

    "means.take_them_all": (
        ["I stocked up on paracetamol, I'm going to take them all", "gonna swallow every last one of my pills"],
        ["I bought a bunch of vitamins for the winter"],
    ),
    "in_progress.means_in_hand": (
        ["the razor is in my hand, I'm ready", "holding the gun right now. this is it"],
        ["I have a knife in my hand chopping onions, I'm ready to cook"],
    ),

    # --- concept rules ----------------------------------------------------------------------------
    "intent.not_alive_by": (
        ["honestly i don't intend to be alive by the time school starts", "i won't be alive come monday",
         "i'm going to make sure i never wake up again", "this is my last weekend alive"],
        ["I won't be here by Friday, flying out to see my sister", "I don't plan on being online this weekend"],
    ),
    "intent.it_ends": (
        ["everything ends tomorrow, i'm so tired", "i'll be gone for good soon, dont bother"],
        ["the sale ends tonight, grab the boots", "my streak ends today lol", "the show's season ends tonight"],
    ),
    "intent.follow_through": (
        ["i'd be better off dead. i'm getting close to doing it", "they'd be better off without me. gonna make that happen"],
        ["I want a promotion and I'm going to make it happen", "so close to finishing my thesis, I'm going to make it happen",
         "the dead plant story was funny. anyway lots going on at work this month, the move, the new manager, my sister "
         "visiting, and the kitchen remodel with the contractor who keeps not showing up. im close to doing it, the renovation"],
    ),
    "goodbye.last_words": (
        ["these are the last words i'll ever post here", "all your kindness wasn't enough to keep me in this world"],
        ["that was the last thing I expected", "coffee isn't enough to keep me going today lol"],
    ),
    "in_progress.took_everything": (
        ["i emptied what was left in my mom's medicine cabinet", "popping the tablets one at a time, 8 down",
         "typing this with the razor in my other hand"],
        ["I took my vitamins one by one like the doctor said", "I took everything out of the cabinet to clean it"],
    ),
    "in_progress.on_the_railing": (
        ["sat up on the ledge of the parking garage, 6 floors down"],
        ["sitting on the porch railing with my coffee", "leaning over the railing of the balcony to water the plants, it's a nice view from 3 floors up, like a movie"],
    ),
    "plan.method_and_date": (
        ["saved the pills up so i'd have enough for saturday"],
        ["refilled my meds early so I'd have enough for the trip"],
    ),
    "in_progress.took_part": (
        ["the pill bottle is open on my lap, i took about half already"],
        ["took about half the pizza home, leftovers for days"],
    ),
    "goodbye.care_for_me": (
        ["thank you for everything. please look after my dog for me"],
        ["thanks for everything! can you feed my cat for me while I'm on vacation"],
    ),
    "in_progress.working_up_nerve": (
        ["standing on the overpass trying to find the courage to jump", "on the ledge of the roof now and i'm not coming down this time"],
        ["finally got the nerve to jump at the bungee place, what a rush"],
    ),
    "plan.how_id_do_it": (
        ["i've already planned when i'll do it", "i know the method and the date now"],
        ["that's where it happens in the movie, the big twist", "we picked the place and the date for the reunion"],
    ),
    "plan.worked_out_how": (
        ["figured out exactly how i'll do it, the pills are in the drawer",
         "the train tracks past the school at midnight. that's where it happens"],
        ["I worked out how I'd do it, the budget spreadsheet is done", "that's where it happens, the magic, in the kitchen"],
    ),
    "plan.note_ready": (
        ["my letters are all written and the pills are lined up", "wrote my notes, the rope is in the closet"],
        ["my notes are all written for the exam, feeling ready"],
    ),
    "means.rope_anchor": (
        ["i got a rope and i found where to hang it", "checked which rafter would hold my weight, the rope is ready"],
        ["we tied the rope to the tree branch to hang the tarp for camping"],
    ),
    "means.drive_on_purpose": (
        ["thinking i'll just swerve into a pole on purpose on the way home", "gonna crash the car and make it look like an accident"],
        ["I drove the long way on purpose to see the lights"],
    ),
    "means.dose_questions": (
        ["is a whole pack of sleeping tablets enough to die", "how many of these would it take to never wake up",
         "are the benzos lethal or not"],
        ["I took a whole pack of gum to the cinema", "how many of the cookies would it take to fill the jar"],
    ),
    "self_harm.acts": (
        ["just burned again tonight and i hate myself", "burnt myself with a cigarette after the argument"],
        ["I just burned the garlic tonight ugh"],
    ),
    "hopelessness.plain_words": (
        ["what's even the point of any of it", "nothing i say ever makes a difference", "idk why i even bother",
         "i gave up hoping things would ever get easier", "i'm going to die alone forever", "i'm beyond saving",
         "sick of fighting, i've got nothing left to give"],
        ["why do I bother cleaning the kitchen when nobody helps", "whats the point of this meeting", "nothing beats pizza"],
    ),
    "passive_wish.rather_not_be_here": (
        ["i'd much rather not exist at all", "wouldn't mind not waking up tomorrow"],
        ["I'd rather not be here for the fire drill, can we go early"],
    ),
    "burden.plain_words": (
        ["i wreck every friendship i touch", "i'm just a drain on everyone", "my family would have a much easier life if i just left"],
        ["I ruin every cake I bake lol"],
    ),
    "third_party.plain_words": (
        ["my neighbour says he's sick of being alive", "my aunt doesn't see the point in living anymore",
         "my friend sent a farewell message last night and we can't reach her"],
        ["my coworker is tired of being here at this job"],
    ),
    "intent.soon_and_final": (
        ["this weekend it all ends, i've had enough", "i'm not waking up tomorrow, i've made sure"],
        ["tomorrow the rain finally stops raining", "I'm not waking up early tomorrow, it's my day off work",
         "I'll be gone this weekend, camping trip"],
    ),
    "in_progress.means_and_act": (
        ["the blade is out and i already started", "got the pills out and just took the first handful"],
        ["razor out, already started shaving my legs", "pill organizer is out and I already started sorting the week"],
    ),
}
